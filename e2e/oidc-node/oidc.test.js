// A Node relying party of wxlogin: openid-client logs in to a running
// wxlogin (its issuer, client and redirect URI in the environment, as
// cmd/wxlogin's TestOIDCNodeClient sets them) through the WeChat sandbox,
// and jose verifies the tokens with the JWKS that discovery names.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import * as client from 'openid-client'
import * as jose from 'jose'

const issuer = required('WXLOGIN_ISSUER')
const clientId = required('WXLOGIN_CLIENT_ID')
const redirectUri = required('WXLOGIN_REDIRECT_URI')

function required (name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run through cmd/wxlogin's TestOIDCNodeClient (make test)`)
  return v
}

let config, jwks

before(async () => {
  // A public client: PKCE, no secret. wxlogin runs on plain HTTP here.
  config = await client.discovery(new URL(issuer), clientId, undefined, client.None(),
    { execute: [client.allowInsecureRequests] })
  jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri))
})

// wechat is the User-Agent of WeChat's in-app browser, where the person
// runs the login (elsewhere wxlogin would show a QR code to scan).
const wechat = { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Mobile MicroMessenger/8.0.50' }

// walk follows a URL through WeChat's sandbox pages as user, choosing the
// user and allowing when asked, up to the redirect to the client's
// redirect URI, which it returns.
async function walk (url, user) {
  const stop = new URL(redirectUri).host
  let res = await fetch(url, { headers: wechat, redirect: 'manual' })
  for (let step = 0; step < 10; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location'), url)
      if (next.host === stop) return next
      url = next.href
      res = await fetch(url, { headers: wechat, redirect: 'manual' })
      continue
    }
    const body = await res.text()
    let form
    if (body.includes('name="decision"')) form = { user, decision: 'allow' }
    else if (body.includes('name="user"')) form = { user, custom: '' }
    else throw new Error(`stuck at ${url} (${res.status}): ${body}`)
    res = await fetch(url, { method: 'POST', headers: wechat, body: new URLSearchParams(form), redirect: 'manual' })
  }
  throw new Error(`no redirect to ${redirectUri}`)
}

// login runs the authorization code flow with PKCE as user, sending nonce
// when given, and returns the callback URL and the checks to redeem it.
async function login (user, nonce) {
  const verifier = client.randomPKCECodeVerifier()
  const state = client.randomState()
  const params = {
    redirect_uri: redirectUri,
    scope: 'openid snsapi_userinfo',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state
  }
  if (nonce !== undefined) params.nonce = nonce
  const callback = await walk(client.buildAuthorizationUrl(config, params).href, user)
  return { callback, checks: { pkceCodeVerifier: verifier, expectedState: state } }
}

async function verify (jwt, audience) {
  const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, { issuer, audience, algorithms: ['ES256'] })
  assert.equal(protectedHeader.alg, 'ES256')
  return payload
}

test('discovery names the issuer and its endpoints', () => {
  const m = config.serverMetadata()
  assert.equal(m.issuer, issuer)
  assert.equal(m.authorization_endpoint, `${issuer}/oauth/authorize`)
  assert.equal(m.revocation_endpoint, `${issuer}/oauth/revoke`)
  assert.deepEqual(m.id_token_signing_alg_values_supported, ['ES256'])
  assert.deepEqual(m.code_challenge_methods_supported, ['S256'])
})

test('login: ID token with exactly the nonce given, verified with the JWKS; userinfo', async () => {
  const nonce = client.randomNonce()
  const { callback, checks } = await login('alice', nonce)
  const tokens = await client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: nonce })
  const claims = tokens.claims()
  assert.equal(claims.nonce, nonce)
  assert.ok(claims.openid && claims.unionid && claims.auth_time, 'openid, unionid and auth_time in the ID token')

  const id = await verify(tokens.id_token, clientId)
  assert.equal(id.nonce, nonce)
  assert.equal(id.sub, claims.sub)
  const access = await verify(tokens.access_token, clientId)
  assert.equal(access.sub, id.sub)
  assert.equal(access.openid, id.openid)

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
  assert.equal(info.openid, id.openid)
  assert.equal(info.unionid, id.unionid)
})

// aboutNonce holds for openid-client's errors about the nonce claim: a
// wrong value names the claim, a missing one says so in its message.
function aboutNonce (err) {
  for (let e = err; e; e = e.cause) {
    if (e.claim === 'nonce' || /"nonce" .* missing/.test(e.message)) return true
  }
  return false
}

test('a wrong or missing nonce is rejected', async () => {
  let { callback, checks } = await login('bob', client.randomNonce())
  await assert.rejects(client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: client.randomNonce() }),
    aboutNonce, 'an ID token of another nonce')

  ;({ callback, checks } = await login('bob', client.randomNonce()))
  await assert.rejects(client.authorizationCodeGrant(config, callback, checks),
    aboutNonce, 'an ID token with a nonce the client did not send')

  ;({ callback, checks } = await login('bob', undefined))
  await assert.rejects(client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: client.randomNonce() }),
    aboutNonce, 'an ID token without the nonce expected')
})

test('userinfo refuses a bad token with 401 and a Bearer challenge', async () => {
  const res = await fetch(config.serverMetadata().userinfo_endpoint, { headers: { authorization: 'Bearer not-a-token' } })
  assert.equal(res.status, 401)
  assert.match(res.headers.get('www-authenticate'), /^Bearer .*error="invalid_token"/)
})

test('refresh tokens rotate; a reused one revokes its family', async () => {
  const nonce = client.randomNonce()
  const { callback, checks } = await login('carol', nonce)
  const first = await client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: nonce })
  const second = await client.refreshTokenGrant(config, first.refresh_token)
  assert.notEqual(second.refresh_token, first.refresh_token)
  assert.equal((await verify(second.id_token, clientId)).sub, first.claims().sub)

  const invalidGrant = (err) => err.error === 'invalid_grant'
  await assert.rejects(client.refreshTokenGrant(config, first.refresh_token), invalidGrant, 'reused refresh token')
  await assert.rejects(client.refreshTokenGrant(config, second.refresh_token), invalidGrant, 'rotated-to token after a reuse')
})

test('a revoked refresh token no longer refreshes', async () => {
  const nonce = client.randomNonce()
  const { callback, checks } = await login('dave', nonce)
  const tokens = await client.authorizationCodeGrant(config, callback, { ...checks, expectedNonce: nonce })
  await client.tokenRevocation(config, tokens.refresh_token, { token_type_hint: 'refresh_token' })
  await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (err) => err.error === 'invalid_grant')
})
