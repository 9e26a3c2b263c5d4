"""Tests bin/deploy-check against kubectl answers of a prepared cluster (cluster/: kubectl's JSON output for
every call the check makes, with the CRD schemas cut down to the fields that matter), run through
fake-kubectl. Each test breaks one prerequisite in a copy and expects exactly the lines that name it.
Needs the real kubectl for `kubectl kustomize` (no cluster); skipped without it."""
import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
CHECK = os.path.join(ROOT, "bin", "deploy-check")
KUBECTL = shutil.which("kubectl")


@unittest.skipUnless(KUBECTL, "kubectl is needed for kubectl kustomize")
class DeployCheckTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="deploy-check-test.")
        self.cluster = os.path.join(self.work, "cluster")
        shutil.copytree(os.path.join(HERE, "cluster"), self.cluster)

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def edit(self, name, change):
        path = os.path.join(self.cluster, name)
        with open(path) as f:
            obj = json.load(f)
        change(obj)
        with open(path, "w") as f:
            json.dump(obj, f)

    def answer(self, command, answer):
        self.edit("answers.json", lambda a: a.update({command: answer}))

    def run_check(self, *args):
        env = dict(os.environ, KUBECTL=os.path.join(HERE, "fake-kubectl"), REAL_KUBECTL=KUBECTL,
                   FAKE_KUBECTL_ANSWERS=self.cluster, FAKE_KUBECTL_LOG=os.path.join(self.work, "calls.log"))
        done = subprocess.run([CHECK, *args], env=env, capture_output=True, text=True, timeout=120)
        self.assertNotIn("no recorded answer", done.stderr)
        lines = done.stdout.splitlines()
        return done.returncode, [l for l in lines if l.startswith("missing: ")], lines, done.stderr

    def assert_missing(self, *fragments, args=()):
        code, missing, lines, err = self.run_check(*args)
        self.assertEqual(1, code, "\n".join(lines) + err)
        self.assertEqual(len(fragments), len(missing), "\n".join(missing))
        for fragment, line in zip(fragments, missing):
            self.assertIn(fragment, line)
        self.assertRegex(lines[-1], rf"^deploy-check: {len(fragments)} of \d+ prerequisites missing$")
        return missing

    def test_a_prepared_cluster_has_everything(self):
        code, missing, lines, err = self.run_check()
        self.assertEqual(0, code, "\n".join(lines) + err)
        self.assertEqual([], missing)
        self.assertRegex(lines[-1], r"^deploy-check: all \d+ prerequisites present$")

    def test_kubeconfig_and_context_reach_every_call(self):
        self.run_check("--kubeconfig", "/k/config", "--context", "staging")
        with open(os.path.join(self.work, "calls.log")) as f:
            calls = [json.loads(l) for l in f]
        self.assertTrue(calls)
        for call in calls:
            self.assertEqual(["--kubeconfig", "/k/config", "--context", "staging"], call[:4])

    def test_unreachable_cluster_is_one_line(self):
        self.answer("get --raw /version", {"stderr": "E1203 memcache.go:265] couldn't get current server API group list\n"
                    "The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?", "exit": 1})
        self.assert_missing("a reachable cluster: The connection to the server 10.0.0.1:6443 was refused")

    def test_gateway_api_older_than_v1_2(self):
        def v1_1(crd):
            crd["metadata"]["annotations"]["gateway.networking.k8s.io/bundle-version"] = "v1.1.0"
            for v in crd["spec"]["versions"]:
                rule = v["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["rules"]["items"]
                del rule["properties"]["timeouts"]
                rule["properties"]["matches"]["maxItems"] = 8
        self.edit("crds/httproutes.gateway.networking.k8s.io.json", v1_1)
        missing = self.assert_missing("Gateway API standard channel v1.2.0 or newer: CRD httproutes.gateway.networking.k8s.io is v1.1.0",
                                      "CRD httproutes.gateway.networking.k8s.io does not accept HTTPRoute vector-memory/vector-memory-api")
        self.assertIn("unknown field spec.rules[].timeouts; spec.rules[].matches has up to 19 items, at most 8", missing[1])

    def test_missing_crds(self):
        for name in ("podmonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com",
                     "prometheuses.monitoring.coreos.com"):
            os.remove(os.path.join(self.cluster, "crds", name + ".json"))
        self.assert_missing("CRD podmonitors.monitoring.coreos.com (Prometheus Operator)",
                            "CRD prometheuses.monitoring.coreos.com (Prometheus Operator)",
                            "CRD prometheusrules.monitoring.coreos.com (Prometheus Operator)")

    def test_too_few_nodes(self):
        self.edit("nodes.json", lambda l: l["items"].__delitem__(3))
        self.assert_missing("3 schedulable, ready nodes for the Qdrant cluster", )

    def test_no_default_storage_class_and_a_named_one(self):
        self.edit("storageclasses.json", lambda l: l["items"][0]["metadata"].pop("annotations"))
        self.assert_missing("a default StorageClass")
        code, missing, lines, _ = self.run_check("--storage-class", "standard")
        self.assertEqual(0, code, "\n".join(lines))
        self.assert_missing("StorageClass fast-ssd (terraform storage_class)", args=("--storage-class", "fast-ssd"))

    def test_old_knative_without_emptydir(self):
        self.edit("knative-controller.json", lambda d: d["metadata"]["labels"].update({"app.kubernetes.io/version": "1.7.4"}))
        self.edit("knative-config-features.json", lambda c: c["data"].update({"kubernetes.podspec-volumes-emptydir": "disabled"}))
        self.assert_missing("Knative Serving v1.13.0 or newer (the first to allow a volume at /tmp); found v1.7.4",
                            "kubernetes.podspec-volumes-emptydir (config-features) is disabled, not enabled")

    def test_no_knative_and_no_net_istio(self):
        self.answer("get deployment controller -n knative-serving -o json",
                    {"stderr": "Error from server (NotFound): namespaces \"knative-serving\" not found", "exit": 1})
        self.answer("get configmap config-features -n knative-serving -o json",
                    {"stderr": "Error from server (NotFound): namespaces \"knative-serving\" not found", "exit": 1})
        self.answer("get service knative-local-gateway -n istio-system -o json",
                    {"stderr": "Error from server (NotFound): services \"knative-local-gateway\" not found", "exit": 1})
        self.assert_missing("Knative Serving v1.13.0 or newer (no deployment knative-serving/controller)",
                            "Service istio-system/knative-local-gateway, where the HTTPRoute sends requests")

    def test_cert_manager_without_gateway_api(self):
        self.edit("cert-manager-config.json", lambda c: c["data"].update(
            {"config.yaml": "apiVersion: controller.config.cert-manager.io/v1alpha1\nkind: ControllerConfiguration\n"}))
        self.assert_missing("cert-manager's Gateway API support")

    def test_cert_manager_flag_and_old_version(self):
        def flagged_old(l):
            d = l["items"][0]
            d["metadata"]["labels"]["app.kubernetes.io/version"] = "v1.14.5"
            c = d["spec"]["template"]["spec"]["containers"][0]
            c["args"] = ["--v=2", "--enable-gateway-api", "--feature-gates=ExperimentalGatewayAPISupport=true"]
        self.edit("cert-manager-controllers.json", flagged_old)
        self.assert_missing("cert-manager v1.15.0 or newer; found v1.14.5")

    def test_issuer_that_solves_through_an_ingress(self):
        self.edit("clusterissuer-letsencrypt.json", lambda i: i["spec"]["acme"].update(
            {"solvers": [{"http01": {"ingress": {"ingressClassName": "nginx"}}}]}))
        self.assert_missing("ClusterIssuer letsencrypt has no solver that can prove api.vector-memory.example.com")

    def test_issuer_with_dns01_for_the_zone(self):
        self.edit("clusterissuer-letsencrypt.json", lambda i: i["spec"]["acme"].update(
            {"solvers": [{"selector": {"dnsZones": ["other.org"]}, "http01": {"ingress": {}}},
                         {"selector": {"dnsZones": ["example.com"]}, "dns01": {"cloudflare": {"apiTokenSecretRef": {"name": "cf", "key": "token"}}}}]}))
        code, missing, lines, _ = self.run_check()
        self.assertEqual(0, code, "\n".join(lines))

    def test_missing_and_unready_issuer(self):
        self.edit("clusterissuer-letsencrypt.json", lambda i: i["status"].update(
            {"conditions": [{"type": "Ready", "status": "False", "message": "Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact"}]}))
        self.assert_missing("ClusterIssuer letsencrypt is not ready: Failed to register ACME account")
        self.answer("get clusterissuer letsencrypt -o json",
                    {"stderr": "Error from server (NotFound): clusterissuers.cert-manager.io \"letsencrypt\" not found", "exit": 1})
        self.assert_missing("ClusterIssuer letsencrypt, named by Gateway vector-memory/vector-memory")

    def test_the_dev_overlay_names_its_own_issuer(self):
        self.answer("get clusterissuer letsencrypt-staging -o json",
                    {"stderr": "Error from server (NotFound): clusterissuers.cert-manager.io \"letsencrypt-staging\" not found", "exit": 1})
        self.assert_missing("ClusterIssuer letsencrypt-staging", args=("--overlay", os.path.join(ROOT, "knative", "overlays", "dev")))

    def test_a_prometheus_with_the_operators_defaults_sees_nothing(self):
        def bare(l):
            p = l["items"][0]
            p["spec"] = {}
        self.edit("prometheuses.json", bare)
        self.assert_missing("a Prometheus that selects PodMonitor vector-memory/vector-memory",
                            "a Prometheus that selects PrometheusRule vector-memory/vector-memory")

    def test_a_prometheus_outside_the_admitted_namespace(self):
        def elsewhere(l):
            l["items"][0]["metadata"]["namespace"] = "observability"
        self.edit("prometheuses.json", elsewhere)
        self.edit("namespaces.json", lambda l: l["items"].append(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "observability", "labels": {"kubernetes.io/metadata.name": "observability"}}}))
        self.assert_missing("the functions' NetworkPolicy does not admit Prometheus in observability")

    def test_an_overlay_that_does_not_render_is_exit_2(self):
        broken = os.path.join(self.work, "knative", "overlays", "broken")
        os.makedirs(broken)
        with open(os.path.join(broken, "kustomization.yaml"), "w") as f:
            f.write("resources:\n  - ../../base-that-is-not-there\n")
        code, _, _, err = self.run_check("--overlay", broken)
        self.assertEqual(2, code)
        self.assertIn("kubectl kustomize", err)


if __name__ == "__main__":
    unittest.main()
