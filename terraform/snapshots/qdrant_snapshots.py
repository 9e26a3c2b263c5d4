"""Scheduled Qdrant snapshots with retention (scaling guide: "Backups: use Qdrant snapshots API").

Run by the CronJob in terraform/snapshots.tf. Snapshots in a Qdrant cluster are per node: each node
snapshots the shards it holds, so this takes one snapshot of every collection on every node
(POST /collections/{name}/snapshots), then deletes that node's snapshots of the collection beyond the newest
SNAPSHOT_RETENTION (DELETE /collections/{name}/snapshots/{snapshot}). Standard library only.

Environment:
  QDRANT_NODES          comma-separated REST URLs of every node (http://qdrant-0.qdrant-headless...:6333)
  QDRANT_API_KEY        Qdrant's API key
  SNAPSHOT_RETENTION    snapshots kept per collection and node (>= 1)
  SNAPSHOT_COLLECTIONS  comma-separated collections; empty means every collection
Exit status 1 if any snapshot or deletion failed (the Job then shows as failed).
"""
import json
import os
import sys
import urllib.parse
import urllib.request

TIMEOUT_SECONDS = 600


def call(method, url, api_key):
    request = urllib.request.Request(url, method=method, headers={"api-key": api_key})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        return json.loads(response.read() or b"null")


def collections(node, api_key):
    body = call("GET", f"{node}/collections", api_key)
    return sorted(c["name"] for c in body["result"]["collections"])


def snapshot_node(node, names, api_key, keep):
    failures = 0
    for name in names:
        path = f"{node}/collections/{urllib.parse.quote(name, safe='')}/snapshots"
        try:
            created = call("POST", f"{path}?wait=true", api_key)["result"]["name"]
            print(f"{node} {name}: created {created}", flush=True)
            existing = call("GET", path, api_key)["result"]
            # Newest first; the name (which embeds the time) breaks ties and covers a missing creation_time.
            existing.sort(key=lambda s: (s.get("creation_time") or "", s["name"]), reverse=True)
            for old in existing[keep:]:
                call("DELETE", f"{path}/{urllib.parse.quote(old['name'], safe='')}?wait=true", api_key)
                print(f"{node} {name}: deleted {old['name']}", flush=True)
        except Exception as e:  # noqa: BLE001 - report and go on with the other collections
            print(f"{node} {name}: FAILED: {e}", file=sys.stderr, flush=True)
            failures += 1
    return failures


def main(env):
    nodes = [n.strip().rstrip("/") for n in env["QDRANT_NODES"].split(",") if n.strip()]
    api_key = env["QDRANT_API_KEY"]
    keep = int(env.get("SNAPSHOT_RETENTION", "7"))
    if keep < 1:
        raise SystemExit("SNAPSHOT_RETENTION must be at least 1")
    wanted = [c.strip() for c in env.get("SNAPSHOT_COLLECTIONS", "").split(",") if c.strip()]
    failures = 0
    for node in nodes:
        names = wanted or collections(node, api_key)
        failures += snapshot_node(node, names, api_key, keep)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(os.environ))
