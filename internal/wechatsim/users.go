package wechatsim

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// testUser is a person the chooser page offers.
type testUser struct {
	Name     string
	Nickname string
}

var defaultUsers = []testUser{
	{"alice", "爱丽丝"},
	{"bob", "鲍勃"},
	{"carol", "卡罗尔"},
	{"dave", "戴夫"},
}

const (
	// userCookie remembers who "the phone's user" is.
	userCookie = "wxsim_user"
	// snapshotSuffix turns a user into their snapshot-mode virtual account;
	// '#' is not allowed in user names, so no one can pick that account.
	snapshotSuffix = "#snapshot"
	// snapshotNickname is the virtual account's nickname (UNVERIFIED).
	snapshotNickname = "微信用户"
	maxUserLen       = 64
)

// nickname is the profile nickname of an identity: the default users have
// Chinese ones, any other user is called by their name.
func nickname(user string) string {
	if strings.HasSuffix(user, snapshotSuffix) {
		return snapshotNickname
	}
	for _, u := range defaultUsers {
		if u.Name == user {
			return u.Nickname
		}
	}
	return user
}

func validUser(name string) bool {
	return name != "" && len(name) <= maxUserLen && utf8.ValidString(name) &&
		!strings.ContainsRune(name, '#') && !strings.ContainsFunc(name, unicode.IsControl)
}

// chosenUser is the user a form names: a default user's button, or the
// free-text field.
func chosenUser(r *http.Request) string {
	if u := strings.TrimSpace(r.PostFormValue("user")); u != "" {
		return u
	}
	return strings.TrimSpace(r.PostFormValue("custom"))
}

func cookieUser(r *http.Request) (string, bool) {
	c, err := r.Cookie(userCookie)
	if err != nil {
		return "", false
	}
	u, err := url.QueryUnescape(c.Value)
	return u, err == nil && validUser(u)
}

func setCookieUser(w http.ResponseWriter, user string) {
	http.SetCookie(w, &http.Cookie{
		Name:     userCookie,
		Value:    url.QueryEscape(user),
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}
