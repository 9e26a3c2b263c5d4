// Offline validation of the deployment (DESIGN §9), run by .ci/validate/run:
//  1. every Kubernetes object under knative/ (and every rendered overlay passed with --rendered FILE) against the
//     real schemas: kubernetes-models (core), @kubernetes-models/knative, /gateway-api, /prometheus-operator;
//     an object of a kind without a schema here is an error, not a skip;
//  2. no unknown field: the schemas accept any extra property, so a typo (containerConcurency) would pass them;
//     every key must be a property name some schema knows, outside free-form maps (labels, annotations, data);
//  3. every .tf file under terraform/ parsed as HCL (@cdktf/hcl2json), and the rules: providers pinned to one
//     version, the chart pinned, every variable typed and described, no default for anything secret;
//  4. the functions' ConfigMap (knative/base) agrees with terraform's defaults (QDRANT_URL, collection layout);
//  5. where terraform is installed: the Helm chart values terraform passes, evaluated offline with the default
//     variables (terraform console needs no provider), against the chart's own defaults: a liveness probe only
//     with a startup probe long enough to load the node's data; a snapshot volume that holds the snapshots kept.
// Exit status 1 with one line per problem.
import { readFileSync, readdirSync, statSync, mkdtempSync, writeFileSync, rmSync, copyFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);

function files(dir, test) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) continue;
    if (statSync(path).isDirectory()) out.push(...files(path, test));
    else if (test(name)) out.push(path);
  }
  return out.sort();
}

// ---- 1. schemas --------------------------------------------------------------------------------------------

// apiVersion group -> package holding its models.
const packages = [
  { test: (g) => g === "serving.knative.dev" || g.endsWith(".knative.dev"), pkg: "@kubernetes-models/knative" },
  { test: (g) => g.startsWith("gateway.networking"), pkg: "@kubernetes-models/gateway-api" },
  { test: (g) => g === "monitoring.coreos.com", pkg: "@kubernetes-models/prometheus-operator" },
  { test: () => true, pkg: "kubernetes-models" },
];

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const { pkg } = packages.find((p) => p.test(group));
  const path = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return undefined;
  }
}

// Keys of objects whose keys are data, not schema properties.
const freeForm = new Set([
  "labels", "annotations", "data", "stringData", "binaryData", "matchLabels", "nodeSelector",
  "limits", "requests", "selector", "externalLabels", "params",
]);

function knownProperties() {
  const names = new Set(["apiVersion", "kind", "metadata"]);
  const dirs = ["kubernetes-models", "@kubernetes-models/knative", "@kubernetes-models/gateway-api",
    "@kubernetes-models/prometheus-operator", "@kubernetes-models/apimachinery"];
  for (const d of dirs) {
    const schemas = join(dirname(require.resolve(`${d}/package.json`)), "_schemas");
    for (const f of readdirSync(schemas)) {
      if (!f.endsWith(".js")) continue;
      const code = readFileSync(join(schemas, f), "utf8");
      for (const m of code.matchAll(/data\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
      for (const m of code.matchAll(/data\["([^"]+)"\]/g)) names.add(m[1]);
    }
  }
  return names;
}

function unknownFields(value, path, known, where) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, `${path}[${i}]`, known, where));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (!known.has(k)) problem(where, `unknown field ${path}.${k}`);
      if (!freeForm.has(k)) unknownFields(v, `${path}.${k}`, known, where);
    }
  }
}

async function validateYaml(file, known, label = relative(root, file)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  let count = 0;
  for (const [i, doc] of docs.entries()) {
    const where = `${label}#${i + 1}`;
    if (doc.errors.length) {
      doc.errors.forEach((e) => problem(where, `YAML: ${e.message}`));
      continue;
    }
    const object = doc.toJS();
    if (object == null) continue;
    if (!object.apiVersion || !object.kind) {
      problem(where, "not a Kubernetes object (apiVersion and kind)");
      continue;
    }
    const name = `${object.kind} ${object.metadata?.name ?? "?"}`;
    if (object.kind === "Secret" && object.data) {
      // kustomize folds long base64 over lines; Kubernetes' decoder skips the line breaks, the schema does not.
      for (const k of Object.keys(object.data)) object.data[k] = String(object.data[k]).replace(/\s+/g, "");
    }
    const Model = await modelFor(object.apiVersion, object.kind);
    if (!Model) {
      problem(where, `${name}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      problem(where, `${name}: ${e.message}`);
    }
    unknownFields(object, "", known, `${where} ${name}`);
    count++;
  }
  return count;
}

// In a rendered overlay, every Secret and ConfigMap a Knative Service refers to exists (with kustomize's hash).
function checkRenderedReferences(file) {
  const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
  const has = new Set(objects.map((o) => `${o.kind}/${o.metadata?.name}`));
  for (const o of objects.filter((o) => o.apiVersion === "serving.knative.dev/v1" && o.kind === "Service")) {
    for (const c of o.spec?.template?.spec?.containers ?? []) {
      const refs = [
        ...(c.env ?? []).map((e) => e.valueFrom?.secretKeyRef && `Secret/${e.valueFrom.secretKeyRef.name}`),
        ...(c.env ?? []).map((e) => e.valueFrom?.configMapKeyRef && `ConfigMap/${e.valueFrom.configMapKeyRef.name}`),
        ...(c.envFrom ?? []).map((e) => (e.secretRef && `Secret/${e.secretRef.name}`) || (e.configMapRef && `ConfigMap/${e.configMapRef.name}`)),
      ].filter(Boolean);
      for (const r of refs) if (!has.has(r)) problem(`rendered ${file}`, `Service ${o.metadata.name} refers to ${r}, which the overlay does not create`);
    }
  }
}

// ---- 3. terraform --------------------------------------------------------------------------------------------

const { parse: parseHcl } = require("@cdktf/hcl2json");
const secretName = /key|secret|password|token|credential/i;

async function terraformRoot(dir) {
  const merged = { variable: {}, terraform: [], resource: {} };
  for (const file of files(dir, (n) => n.endsWith(".tf")).filter((f) => dirname(f) === dir)) {
    const where = relative(root, file);
    let json;
    try {
      json = await parseHcl(file, readFileSync(file, "utf8"));
    } catch (e) {
      problem(where, `HCL: ${e.message}`);
      continue;
    }
    Object.assign(merged.variable, json.variable ?? {});
    merged.terraform.push(...(json.terraform ?? []));
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      merged.resource[type] = { ...(merged.resource[type] ?? {}), ...byName };
    }
  }
  const where = relative(root, dir) || ".";
  const providers = merged.terraform.flatMap((t) => t.required_providers ?? []).flatMap((p) => Object.entries(p));
  if (providers.length === 0) problem(where, "no required_providers");
  for (const [name, spec] of providers) {
    if (!/^=?\s*\d+\.\d+\.\d+$/.test(String(spec.version ?? ""))) {
      problem(where, `provider ${name} is not pinned to one version (version = "= x.y.z"), got ${spec.version}`);
    }
  }
  for (const [name, [v]] of Object.entries(merged.variable)) {
    if (!v.type) problem(where, `variable ${name} has no type`);
    if (!v.description) problem(where, `variable ${name} has no description`);
    if (secretName.test(name) && "default" in v) problem(where, `variable ${name} looks secret and has a default`);
    if (secretName.test(name) && !v.sensitive) problem(where, `variable ${name} looks secret and is not sensitive`);
  }
  for (const [name, [password]] of Object.entries(merged.resource.random_password ?? {})) {
    if (!(Number(password.length) >= 32)) problem(where, `random_password ${name}: at least 32 characters (scaling guide), got ${password.length}`);
  }
  for (const [name, [release]] of Object.entries(merged.resource.helm_release ?? {})) {
    const version = String(release.version ?? "");
    const resolved = version.replace(/^\$\{var\.(\w+)\}$/, (_, v) => merged.variable[v]?.[0]?.default ?? "");
    if (!/^\d+\.\d+\.\d+$/.test(resolved)) problem(where, `helm_release ${name}: chart version not pinned (${version})`);
  }
  return merged;
}

// ---- 4. ConfigMap vs terraform ---------------------------------------------------------------------------------

function checkConfigAgainstTerraform(tf) {
  const where = "knative/base/kustomization.yaml";
  const kustomization = parseAllDocuments(readFileSync(join(root, where), "utf8"))[0].toJS();
  const generator = (kustomization.configMapGenerator ?? []).find((g) => g.name === "vector-memory-config");
  if (!generator) return problem(where, "no configMapGenerator vector-memory-config");
  const literals = Object.fromEntries((generator.literals ?? []).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const d = (name) => tf.variable[name]?.[0]?.default;
  const release = d("release_name");
  const host = release.includes("qdrant") ? release : `${release}-qdrant`;
  const expected = {
    // the headless Service of every ready node (terraform/grpc-service.tf)
    QDRANT_URL: `http://${host}-grpc.${d("namespace")}.svc.cluster.local:6334`,
    QDRANT_SHARD_NUMBER: String(d("shard_number")),
    QDRANT_REPLICATION_FACTOR: String(d("replication_factor")),
    QDRANT_WRITE_CONSISTENCY_FACTOR: String(d("write_consistency_factor")),
  };
  for (const [k, v] of Object.entries(expected)) {
    if (literals[k] !== v) problem(where, `${k}=${literals[k]} but terraform's defaults give ${v}`);
  }
  if (Number(expected.QDRANT_SHARD_NUMBER) % d("replicas") !== 0) problem("terraform/variables.tf", "shard_number is not a multiple of replicas");
  if (d("replication_factor") < 2) problem("terraform/variables.tf", "replication_factor below 2");
}

// ---- 5. the chart values, evaluated ------------------------------------------------------------------------

// qdrant/qdrant chart (terraform/variables.tf chart_version) values.yaml defaults of what the rules read.
const CHART_DEFAULTS = {
  livenessProbe: { enabled: false, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 6 },
  startupProbe: { enabled: false, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 30 },
};
// Qdrant loads every collection before it listens: budget reading the whole volume at this rate at least.
const LOAD_BYTES_PER_SECOND = 100 * 1024 * 1024;

function quantity(q) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi)?$/.exec(String(q ?? ""));
  if (!m) return NaN;
  return Number(m[1]) * 1024 ** ["", "Ki", "Mi", "Gi", "Ti", "Pi"].indexOf(m[2] ?? "");
}

// HCL source of a value as @cdktf/hcl2json gives it: "${expr}" as a whole is the expression itself.
function hcl(value) {
  if (typeof value === "string") {
    if (value.startsWith("${") && value.endsWith("}")) {
      let depth = 0;
      let end = -1;
      for (let i = 1; i < value.length; i++) {
        if (value[i] === "{") depth++;
        if (value[i] === "}" && --depth === 0) { end = i; break; }
      }
      if (end === value.length - 1) return value.slice(2, -1);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(hcl).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{\n${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)} = ${hcl(v)}`).join("\n")}\n}`;
  }
  return String(value);
}

// The values of every helm_release of a root module, evaluated with the variables' defaults: the variables and
// locals of the module and the values expression, in a scratch module without resources or providers.
async function evaluatedChartValues(dir) {
  const locals = [];
  const releases = [];
  for (const file of files(dir, (n) => n.endsWith(".tf")).filter((f) => dirname(f) === dir)) {
    const json = await parseHcl(file, readFileSync(file, "utf8"));
    for (const block of json.locals ?? []) locals.push(...Object.entries(block));
    for (const [name, [release]] of Object.entries(json.resource?.helm_release ?? {})) releases.push([name, release]);
  }
  const out = {};
  for (const [name, release] of releases) {
    const values = (release.values ?? [])[0];
    const m = /^\$\{yamlencode\(([\s\S]*)\)\}$/.exec(values ?? "");
    if (!m) {
      problem(relative(root, dir), `helm_release ${name}: values is not [yamlencode(...)], which this check evaluates`);
      continue;
    }
    const scratch = mkdtempSync(join(tmpdir(), "validate-tf-"));
    try {
      copyFileSync(join(dir, "variables.tf"), join(scratch, "variables.tf"));
      const body = locals.map(([k, v]) => `  ${k} = ${hcl(v)}`).join("\n");
      writeFileSync(join(scratch, "locals.tf"), `locals {\n${body}\n  chart_values_ = ${m[1]}\n}\n`);
      const printed = execFileSync("terraform", ["console"], {
        cwd: scratch, input: "jsonencode({values = local.chart_values_, snapshot_retention = var.snapshot_retention})\n",
        stdio: ["pipe", "pipe", "pipe"], encoding: "utf8",
      });
      out[name] = JSON.parse(JSON.parse(printed.trim()));
    } catch (e) {
      problem(relative(root, dir), `helm_release ${name}: values not evaluated offline (they may refer only to variables and locals): ${String(e.stderr || e.message).trim().split("\n").slice(-3).join(" ")}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return out;
}

function checkQdrantValues(where, { values, snapshot_retention: retention }) {
  const probe = (name) => ({ ...CHART_DEFAULTS[name], ...(values[name] ?? {}) });
  const storage = quantity(values.persistence?.size ?? "10Gi");
  const liveness = probe("livenessProbe");
  const startup = probe("startupProbe");
  if (liveness.enabled) {
    const budget = startup.enabled ? startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold : 0;
    const loading = Math.ceil(storage / LOAD_BYTES_PER_SECOND);
    if (!startup.enabled) {
      problem(where, `livenessProbe on without a startupProbe: a node gets ${liveness.initialDelaySeconds + liveness.periodSeconds * liveness.failureThreshold} s to load its data before kubelet restarts it, again and again`);
    } else if (budget < loading) {
      problem(where, `startupProbe allows ${budget} s; reading a ${values.persistence?.size} volume at 100 MiB/s takes ${loading} s`);
    }
  }
  const snapshots = values.snapshotPersistence ?? {};
  const offNode = values.config?.storage?.snapshots_config?.snapshots_storage === "s3";
  if (snapshots.enabled && !offNode) {
    const needed = (retention + 1) * storage;
    if (!(quantity(snapshots.size) >= needed)) {
      problem(where, `snapshot volume ${snapshots.size} holds fewer than snapshot_retention + 1 = ${retention + 1} full snapshots of a ${values.persistence?.size} volume: it fills and the snapshot job fails`);
    }
  }
}

// ---- main ----------------------------------------------------------------------------------------------------

const rendered = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--rendered") rendered.push(process.argv[++i]);
}
const known = knownProperties();
let objects = 0;
const manifests = files(join(root, "knative"), (n) => n.endsWith(".yaml") || n.endsWith(".yml"))
  .filter((f) => !/kustomization\.ya?ml$|kustomizeconfig\.ya?ml$/.test(f));
for (const f of manifests) objects += await validateYaml(f, known);
for (const f of rendered) {
  objects += await validateYaml(f, known, `rendered ${f}`);
  checkRenderedReferences(f);
}

const tf = await terraformRoot(join(root, "terraform"));
await terraformRoot(join(root, "terraform", "qdrant-cloud"));
checkConfigAgainstTerraform(tf);
const tfFiles = files(join(root, "terraform"), (n) => n.endsWith(".tf")).length;
let chartValues = "terraform not installed: chart values not evaluated";
try {
  execFileSync("terraform", ["version"], { stdio: "ignore" });
  const evaluated = await evaluatedChartValues(join(root, "terraform"));
  if (!evaluated.qdrant) problem("terraform", "no helm_release qdrant whose values could be evaluated");
  else checkQdrantValues("terraform (helm_release qdrant values)", evaluated.qdrant);
  chartValues = "chart values evaluated (startup probe, snapshot volume)";
} catch (e) {
  if (e.code !== "ENOENT") throw e;
}

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`validate: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`validate: ${objects} Kubernetes objects against their schemas (${manifests.length} files, ${rendered.length} rendered overlays), ${tfFiles} .tf files parsed, terraform rules and ConfigMap agreement OK, ${chartValues}`);
