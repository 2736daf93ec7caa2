package wechatsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// faultJSON is a Fault as POSTed to /__sim/faults, e.g.
// {"path":"/sns/oauth2/access_token","errcode":-1,"times":1} or
// {"path":"/sns/userinfo","delay":"3s"}.
type faultJSON struct {
	Path    string `json:"path"`
	ErrCode int    `json:"errcode"`
	Delay   string `json:"delay"` // a Go duration
	HTML    bool   `json:"html"`
	Status  int    `json:"status"`
	Drop    bool   `json:"drop"`
	Times   int    `json:"times"`
}

func (fj faultJSON) fault() (Fault, error) {
	f := Fault{Path: fj.Path, ErrCode: fj.ErrCode, HTML: fj.HTML, Status: fj.Status, Drop: fj.Drop, Times: fj.Times}
	if fj.Delay != "" {
		d, err := time.ParseDuration(fj.Delay)
		if err != nil {
			return Fault{}, fmt.Errorf("delay: %w", err)
		}
		f.Delay = d
	}
	return f, nil
}

// postFault serves POST /__sim/faults: inject one fault; 204 on success.
func (s *Sim) postFault(w http.ResponseWriter, r *http.Request) {
	var fj faultJSON
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&fj); err != nil {
		http.Error(w, "bad fault: "+err.Error(), http.StatusBadRequest)
		return
	}
	f, err := fj.fault()
	if err != nil {
		http.Error(w, "bad fault: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.InjectFault(f)
	w.WriteHeader(http.StatusNoContent)
}

// deleteFaults serves DELETE /__sim/faults: clear all faults; 204.
func (s *Sim) deleteFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}
