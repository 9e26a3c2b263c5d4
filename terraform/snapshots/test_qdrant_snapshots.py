"""Tests qdrant_snapshots.py against a stand-in of Qdrant's snapshots API (two nodes, one HTTP server each)."""
import http.server
import json
import threading
import unittest
import urllib.parse

import qdrant_snapshots

KEY = "test-key"


class FakeNode(http.server.ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.snapshots = {"user_memories": [], "user_documents": []}
        self.counter = 0
        self.fail_create = set()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, result):
        body = json.dumps({"result": result, "status": "ok"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        if self.headers.get("api-key") != KEY:
            return self.reply(403, None)
        node = self.server
        parts = [urllib.parse.unquote(p) for p in urllib.parse.urlparse(self.path).path.strip("/").split("/")]
        if self.command == "GET" and parts == ["collections"]:
            return self.reply(200, {"collections": [{"name": n} for n in node.snapshots]})
        if len(parts) >= 3 and parts[0] == "collections" and parts[2] == "snapshots" and parts[1] in node.snapshots:
            taken = node.snapshots[parts[1]]
            if self.command == "POST" and len(parts) == 3:
                if parts[1] in node.fail_create:
                    return self.reply(500, None)
                node.counter += 1
                snap = {"name": f"{parts[1]}-{node.counter:04d}.snapshot", "creation_time": f"2026-01-01T00:00:{node.counter:02d}"}
                taken.append(snap)
                return self.reply(200, snap)
            if self.command == "GET" and len(parts) == 3:
                return self.reply(200, list(taken))
            if self.command == "DELETE" and len(parts) == 4:
                node.snapshots[parts[1]] = [s for s in taken if s["name"] != parts[3]]
                return self.reply(200, True)
        return self.reply(404, None)

    do_GET = do_POST = do_DELETE = route


class SnapshotTest(unittest.TestCase):
    def setUp(self):
        self.nodes = [FakeNode(), FakeNode()]
        for n in self.nodes:
            threading.Thread(target=n.serve_forever, daemon=True).start()

    def tearDown(self):
        for n in self.nodes:
            n.shutdown()
            n.server_close()

    def run_job(self, **extra):
        env = {"QDRANT_NODES": ",".join(n.url for n in self.nodes), "QDRANT_API_KEY": KEY, "SNAPSHOT_RETENTION": "2"}
        env.update(extra)
        return qdrant_snapshots.main(env)

    def test_every_collection_on_every_node_with_retention(self):
        for _ in range(3):
            self.assertEqual(0, self.run_job())
        for n in self.nodes:
            kept = {name: sorted(s["name"] for s in snaps) for name, snaps in n.snapshots.items()}
            # Collections in name order, one snapshot each per run: documents 1, 3, 5 and memories 2, 4, 6;
            # SNAPSHOT_RETENTION=2 keeps the newest two of each.
            self.assertEqual({
                "user_documents": ["user_documents-0003.snapshot", "user_documents-0005.snapshot"],
                "user_memories": ["user_memories-0004.snapshot", "user_memories-0006.snapshot"],
            }, kept, n.url)

    def test_only_the_named_collections(self):
        self.assertEqual(0, self.run_job(SNAPSHOT_COLLECTIONS="user_memories"))
        for n in self.nodes:
            self.assertEqual(1, len(n.snapshots["user_memories"]))
            self.assertEqual(0, len(n.snapshots["user_documents"]))

    def test_a_failure_fails_the_job_but_the_rest_runs(self):
        self.nodes[0].fail_create.add("user_memories")
        self.assertEqual(1, self.run_job())
        self.assertEqual(1, len(self.nodes[0].snapshots["user_documents"]))
        self.assertEqual(1, len(self.nodes[1].snapshots["user_memories"]))

    def test_wrong_key_fails(self):
        with self.assertRaises(Exception):
            self.run_job(QDRANT_API_KEY="wrong")


if __name__ == "__main__":
    unittest.main()
