#!/usr/bin/env python3
"""Posts the three example snapshots of contracts/.../examples to a running stack, as an agent would, and
checks what remediation-service says of each against that folder's README.md.

Usage: start the stack (./tlsrollout up) with the tokens below in the environment, then run this script.
It enrolls as an agent does (api.md, Authentication): with its own EC P-256 key, kept owner-only in
CHECK_EXAMPLES_KEY (default .tlsrollout/keys/check-examples.pem) so that a second run proves possession of the
key the first run bound, and an ES256 proof. Needs Python's `cryptography` package (Debian: python3-cryptography)."""
import base64, json, os, sys, time, urllib.error, urllib.request
from pathlib import Path

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
except ImportError:
    sys.exit("needs Python's cryptography package: apt-get install python3-cryptography")

COLLECTOR = os.environ.get("COLLECTOR_URL", "http://127.0.0.1:8081")
REMEDIATION = os.environ.get("REMEDIATION_URL", "http://127.0.0.1:8083")
VIEWER = os.environ.get("TLSROLLOUT_VIEWER_TOKEN", "")
SECRET = os.environ.get("TLSROLLOUT_ENROLL_SECRET", "")
KEY_FILE = Path(os.environ.get("CHECK_EXAMPLES_KEY", ".tlsrollout/keys/check-examples.pem"))
HERE = Path(__file__).resolve().parent.parent / "contracts" / "src" / "main" / "resources" / "org" / "tlsrollout" / "contracts" / "examples"

EXPECT = {
    "win7-client-before.json": {
        "fail": {"WINHTTP_KB3140245", "WINHTTP_DEFAULT_SECURE_PROTOCOLS", "SCHANNEL_TLS12_CLIENT", "DOTNET_VERSION",
                 "DOTNET_STRONG_CRYPTO", "DOTNET_SYSTEM_DEFAULT_TLS", "TLS12_HANDSHAKE"},
        "phases": {"CLIENTS": "NONCOMPLIANT", "SITE_SYSTEMS": "NOT_APPLICABLE", "VERIFY": "NONCOMPLIANT"}},
    "win10-client-done.json": {
        "fail": set(), "phases": {"CLIENTS": "COMPLIANT", "SITE_SYSTEMS": "NOT_APPLICABLE", "VERIFY": "COMPLIANT"}},
    "server2012r2-primary-site.json": {
        "fail": {"SCHANNEL_LEGACY_DISABLED"},
        "phases": {"CLIENTS": "NOT_APPLICABLE", "SITE_SYSTEMS": "COMPLIANT", "VERIFY": "COMPLIANT",
                   "DISABLE_LEGACY": "NONCOMPLIANT"}},
}


def call(method, url, body=None, token=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def agent_key():
    """The script's agent key: made once, in a file created owner-only (no window with the default umask)."""
    if KEY_FILE.exists():
        return serialization.load_pem_private_key(KEY_FILE.read_bytes(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return key


def enrollment(key, machine_id, site_code):
    """The body of POST /api/v1/agents/enroll: the public key as a JWK and an ES256 proof of possession."""
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
           "y": b64url(numbers.y.to_bytes(32, "big"))}
    header = b64url(json.dumps({"alg": "ES256"}).encode())
    payload = b64url(json.dumps({"machineId": machine_id, "siteCode": site_code, "iat": int(time.time())}).encode())
    r, s = decode_dss_signature(key.sign(f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256())))
    proof = f"{header}.{payload}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    return {"machineId": machine_id, "siteCode": site_code, "enrollSecret": SECRET, "publicKey": jwk, "proof": proof}


def main():
    if not VIEWER or not SECRET:
        sys.exit("set TLSROLLOUT_VIEWER_TOKEN and TLSROLLOUT_ENROLL_SECRET to the values the stack uses")
    bad = 0
    key = agent_key()
    for name, want in EXPECT.items():
        snap = json.loads((HERE / name).read_text())
        snap["collectedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())  # fresh, so never stale
        st, body = call("POST", COLLECTOR + "/api/v1/agents/enroll",
                        enrollment(key, snap["machineId"], snap["siteCode"]))
        if st != 200:
            print(f"{name}: enroll answered {st}: {body}"); bad += 1; continue
        st, body = call("POST", COLLECTOR + "/api/v1/snapshots", snap, token=body["agentToken"])
        if st != 202:
            print(f"{name}: snapshot answered {st}: {body}"); bad += 1; continue
        machine = None
        for _ in range(120):
            st, machine = call("GET", REMEDIATION + "/api/v1/machines/" + snap["machineId"], token=VIEWER)
            if st == 200:
                break
            time.sleep(0.5)
        if st != 200:
            print(f"{name}: machine not visible ({st})"); bad += 1; continue
        fails = {f["ruleId"] for f in machine.get("findings", []) if f.get("status") == "FAIL"}
        wrong = []
        if fails != want["fail"]:
            wrong.append(f"FAIL rules {sorted(fails)}, expected {sorted(want['fail'])}")
        for phase, state in want["phases"].items():
            if machine.get("phases", {}).get(phase) != state:
                wrong.append(f"{phase} is {machine.get('phases', {}).get(phase)}, expected {state}")
        print(f"{name}: " + ("as expected" if not wrong else "; ".join(wrong)))
        bad += bool(wrong)
    print(f"{len(EXPECT) - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
