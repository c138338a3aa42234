"""Sync between a worker's laptop and the organisation's hub (Qt-free, store-free).

- ``keys``: the organisation's key pair (HPKE, hybrid ML-KEM-768 + X25519), a device's keys,
  fingerprints, the passphrase-wrapped organisation key file;
- ``envelope``: sealing a case snapshot to the organisation key, signed by the device;
- ``receipt``: the hub's signed acknowledgement of one stored envelope;
- ``outbox``: what the client needs from the place envelopes wait in (a Protocol);
- ``client``: pushing an outbox to the hub through any network; ``enrol``: joining a hub.

docs/sync-protocol.md describes the wire format for the integrator.
"""
