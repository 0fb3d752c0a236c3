# Seed 001's `verify_signature` ("Signature Verification"), verbatim, run over captured deliveries:
# reads JSON lines {"payload": <raw body>, "signature": <header>, "secret": ...} on stdin and
# prints one line per delivery: "ok" or "BAD".
import hmac
import hashlib

def verify_signature(payload, signature, secret):
    expected = hmac.new(
        secret.encode(),
        payload.encode(),
        hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(f"sha256={expected}", signature)

if __name__ == "__main__":
    import json, sys
    for line in sys.stdin:
        if line.strip():
            d = json.loads(line)
            print("ok" if verify_signature(d["payload"], d["signature"], d["secret"]) else "BAD")
