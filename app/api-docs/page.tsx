import type { Metadata } from "next";
import type { HeaderObject, HttpMethod, OperationObject, ParameterObject, ResponseObject } from "@/server/openapi/document";
import { openApiDocument } from "@/server/openapi/document";
import { firstLeadExample, firstWebhookLeadExample, ingestExamples } from "@/server/openapi/examples";
import { deref, typeLabel } from "@/server/openapi/fields";
import styles from "./api-docs.module.css";
import { CodeBlock, Cols, Examples, Markdown, MediaTypeView, operationAnchor, SchemaView, schemaAnchor, TypeText } from "./parts";

export const metadata: Metadata = { title: "API reference" };
// The document is fixed at build time: render the page once, serve it to everyone (no sign-in).
export const dynamic = "force-static";

const SCHEME_LABELS: Record<string, string> = {
  apiKey: "API key (Bearer)",
  standardWebhooks: "Standard Webhooks",
  hubspotSignatureV3: "HubSpot signature v3",
  typeformSignature: "Typeform signature",
  switchyardSignature: "Switchyard-Signature",
};

interface Op {
  path: string;
  method: HttpMethod;
  operation: OperationObject;
}

function statusBadge(status: string): string {
  if (status.startsWith("2")) return "badge badge-good";
  if (status.startsWith("5")) return "badge badge-bad";
  return "badge badge-warn";
}

/** GET /api-docs — the inbound API's reference, rendered on the server from the same document as /api/v1/openapi.json. */
export default function ApiDocsPage() {
  const doc = openApiDocument();
  const ops: Op[] = [
    ...Object.entries(doc.paths).flatMap(([path, item]) =>
      (Object.entries(item) as Array<[HttpMethod, OperationObject]>).map(([method, operation]) => ({ path, method, operation })),
    ),
    // What Switchyard sends: POSTs to the endpoints configured under Settings → Alerts, one per event.
    ...Object.entries(doc.webhooks).map(([event, item]) => ({ path: `your endpoint — ${event}`, method: "post" as const, operation: item.post })),
  ];
  const schemaNames = Object.keys(doc.components.schemas);
  // Schemas only ever answered (never sent) read "always" rather than "required" for the fields they always carry.
  const responseSchemas = new Set(
    ops.flatMap(({ operation }) => Object.values(operation.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => String(m.schema.$ref ?? "")))),
  );
  const schemes = Object.entries(doc.components.securitySchemes);

  return (
    <>
      <a className="skip-link" href="#content">Skip to content</a>
      <div className="shell">
        <aside className={`sidebar ${styles.sidebar}`}>
          <div className="brand"><span className="brand-mark" aria-hidden>⇄</span> Switchyard</div>
          <div className="workspace-name">API reference · v{doc.info.version}</div>
          <nav aria-label="API reference" className={`nav ${styles.nav}`}>
            <ul>
              <li><a href="#overview">Overview</a></li>
              <li><a href="#authentication">Authentication</a></li>
              <li><a href="#first-lead">Send your first lead</a></li>
            </ul>
            <p className={styles.navGroup} id="nav-operations">Operations</p>
            <ul aria-labelledby="nav-operations">
              {ops.map(({ method, operation }) => (
                <li key={operation.operationId}>
                  <a href={`#${operationAnchor(operation.operationId)}`}>
                    <span className={`${styles.method} ${styles[`method_${method}`]}`}>{method.toUpperCase()}</span>
                    {operation.summary}
                  </a>
                </li>
              ))}
            </ul>
            <p className={styles.navGroup} id="nav-schemas">Schemas</p>
            <ul aria-labelledby="nav-schemas">
              {schemaNames.map((name) => (
                <li key={name}><a href={`#${schemaAnchor(name)}`} className={styles.navSchema}>{name}</a></li>
              ))}
            </ul>
          </nav>
          <div className="sidebar-foot">
            <a href="/api/v1/openapi.json" className={styles.footLink}>openapi.json</a>
            <a href="/signin" className={styles.footLink}>Sign in to Switchyard</a>
          </div>
        </aside>

        <main className="main" id="content" tabIndex={-1}>
          <div className={`page stack ${styles.page}`}>
            <header className="page-head">
              <div>
                <h1>{doc.info.title}</h1>
                <p>{doc.info.summary}</p>
              </div>
              <div className="row">
                <span className="badge">OpenAPI {doc.openapi}</span>
                <span className="badge">v{doc.info.version}</span>
                <a className="btn" href="/api/v1/openapi.json">Download openapi.json</a>
              </div>
            </header>

            <section id="overview" className={`card ${styles.section}`} aria-labelledby="overview-title">
              <div className="card-head"><h2 id="overview-title">Overview</h2></div>
              <div className="card-body">
                <Markdown text={doc.info.description} />
                <h3 className={styles.subhead}>Endpoints</h3>
                <div className="table-wrap">
                  <table className="data">
                    <caption className="sr-only">Endpoints</caption>
                    <thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">Authentication</th></tr></thead>
                    <tbody>
                      {ops.map(({ path, method, operation }) => (
                        <tr key={operation.operationId}>
                          <td><span className={`${styles.method} ${styles[`method_${method}`]}`}>{method.toUpperCase()}</span></td>
                          <td><a href={`#${operationAnchor(operation.operationId)}`}><code>{path}</code></a></td>
                          <td>{operation.summary}</td>
                          <td>{operation.security.length ? operation.security.map((s) => SCHEME_LABELS[Object.keys(s)[0]!] ?? Object.keys(s)[0]).join(" or ") : operation.tags.includes("Outbound webhooks") ? "Signed by Switchyard (Standard Webhooks)" : "None"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </section>

            <section id="authentication" className={`card ${styles.section}`} aria-labelledby="authentication-title">
              <div className="card-head"><h2 id="authentication-title">Authentication</h2></div>
              <div className="card-body stack">
                {schemes.map(([name, scheme]) => (
                  <div key={name} id={`auth-${name}`} className={styles.scheme}>
                    <h3>
                      {SCHEME_LABELS[name] ?? name}{" "}
                      <span className="muted small">
                        {scheme.type === "http" ? <code>Authorization: Bearer …</code> : <code>{scheme.name}</code>}
                      </span>
                    </h3>
                    <Markdown text={scheme.description} />
                  </div>
                ))}
              </div>
            </section>

            <FirstLead />

            {ops.map((op) => <Operation key={op.operation.operationId} op={op} />)}

            <section id="schemas" className={styles.section} aria-labelledby="schemas-title">
              <h2 id="schemas-title" className={styles.groupTitle}>Schemas</h2>
              <p className="muted">Generated from the zod schemas the endpoints validate with (JSON Schema 2020-12).</p>
            </section>
            {schemaNames.map((name) => {
              const schema = doc.components.schemas[name]!;
              const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]) : [];
              return (
                <section key={name} id={schemaAnchor(name)} className={`card ${styles.section}`} aria-labelledby={`${schemaAnchor(name)}-title`}>
                  <div className="card-head">
                    <h2 id={`${schemaAnchor(name)}-title`}><code className={styles.schemaTitle}>{name}</code></h2>
                    <TypeText type={typeLabel(schema)} />
                  </div>
                  <div className="card-body stack">
                    {schema.description ? <Markdown text={String(schema.description)} /> : null}
                    <SchemaView document={doc} schema={schema} caption={`${name} fields`} io={responseSchemas.has(`#/components/schemas/${name}`) ? "response" : "request"} />
                    <Examples
                      examples={Object.fromEntries(examples.map((value, i) => [String(i + 1), { summary: examples.length > 1 ? `${i + 1} of ${examples.length}` : name, value }]))}
                      contentType="application/json"
                      idPrefix={schemaAnchor(name)}
                    />
                  </div>
                </section>
              );
            })}
          </div>
        </main>
      </div>
    </>
  );
}

function Operation({ op }: { op: Op }) {
  const doc = openApiDocument();
  const { path, method, operation } = op;
  const anchor = operationAnchor(operation.operationId);
  const parameters = (operation.parameters ?? []).map((p) => deref<ParameterObject>(doc, p));
  const sourceKinds = operation["x-source-kinds"];
  const statuses = Object.keys(operation.responses).sort();
  const firstSuccess = statuses.find((s) => s.startsWith("2") && s !== "200") ?? statuses[0];
  return (
    <section id={anchor} className={`card ${styles.section}`} aria-labelledby={`${anchor}-title`}>
      <div className="card-head">
        <div>
          <h2 id={`${anchor}-title`} className={styles.opTitle}>
            <span className={`${styles.method} ${styles[`method_${method}`]}`}>{method.toUpperCase()}</span>
            <code>{path}</code>
          </h2>
          <p>{operation.summary}</p>
        </div>
        <span className="badge">{operation.tags.join(", ")}</span>
      </div>
      <div className="card-body stack">
        <Markdown text={operation.description} />

        <div>
          <h3 className={styles.subhead}>Authentication</h3>
          {operation.security.length ? (
            <p className={styles.inlineList}>
              {operation.security.map((s, i) => {
                const name = Object.keys(s)[0]!;
                return (
                  <span key={name}>
                    {i > 0 ? <span className="muted"> or </span> : null}
                    <a href={`#auth-${name}`}>{SCHEME_LABELS[name] ?? name}</a>
                  </span>
                );
              })}
            </p>
          ) : <p className="muted">None: public.</p>}
        </div>

        {sourceKinds ? (
          <div>
            <h3 className={styles.subhead}>By source kind</h3>
            <div className="table-wrap">
              <table className={`data ${styles.fields}`}>
                <caption className="sr-only">What each source kind sends</caption>
                <Cols widths={[16, 17, 14, 19, 14, 20]} />
                <thead><tr><th scope="col">Kind</th><th scope="col">Content-Type</th><th scope="col">Signed with</th><th scope="col">Headers</th><th scope="col">Idempotency key</th><th scope="col">Body</th></tr></thead>
                <tbody>
                  {sourceKinds.map((k) => (
                    <tr key={k.kind}>
                      <th scope="row" className={styles.fieldName}><code>{k.kind}</code></th>
                      <td><code>{k.contentType}</code></td>
                      <td>{k.security.map((s, i) => <span key={s}>{i ? " or " : ""}<a href={`#auth-${s}`}>{SCHEME_LABELS[s] ?? s}</a></span>)}</td>
                      <td>{k.headers.map((h) => <div key={h}>{h.startsWith("or ") ? <><span className="muted">or </span><code>{h.slice(3)}</code></> : <code>{h}</code>}</div>)}</td>
                      <td>{k.idempotency}</td>
                      <td className={styles.description}>{k.body}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}

        {parameters.length ? (
          <div>
            <h3 className={styles.subhead}>Parameters and headers</h3>
            <div className="table-wrap">
              <table className={`data ${styles.fields}`}>
                <caption className="sr-only">Parameters of {method.toUpperCase()} {path}</caption>
                <Cols widths={[20, 9, 14, 10, 47]} />
                <thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
                <tbody>
                  {parameters.map((p) => (
                    <tr key={`${p.in}:${p.name}`}>
                      <th scope="row" className={styles.fieldName}><code>{p.name}</code></th>
                      <td>{p.in}</td>
                      <td><TypeText type={typeLabel(p.schema)} /></td>
                      <td>{p.required ? <span className="badge badge-brand">required</span> : <span className="muted small">optional</span>}</td>
                      <td className={styles.description}>
                        <Markdown text={p.description} />
                        {p.example !== undefined ? <div className="muted small">Example: <code>{String(p.example)}</code></div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}

        {operation.requestBody ? (
          <div>
            <h3 className={styles.subhead}>Request body {operation.requestBody.required ? <span className="badge badge-brand">required</span> : null}</h3>
            {operation.requestBody.description ? <p className="muted">{operation.requestBody.description}</p> : null}
            {Object.entries(operation.requestBody.content).map(([type, media]) => (
              <MediaTypeView key={type} document={doc} contentType={type} media={media} idPrefix={`${anchor}-request-${type.replace(/\W+/g, "-")}`} expand io="request" />
            ))}
          </div>
        ) : null}

        <div>
          <h3 className={styles.subhead}>Responses</h3>
          <div className={styles.responses}>
            {statuses.map((status) => (
              <Response key={status} status={status} response={operation.responses[status]!} idPrefix={`${anchor}-${status}`} expand={status === firstSuccess} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}

function Response({ status, response, idPrefix, expand }: { status: string; response: ResponseObject; idPrefix: string; expand: boolean }) {
  const doc = openApiDocument();
  const headers = Object.entries(response.headers ?? {}).map(([name, h]) => [name, deref<HeaderObject>(doc, h)] as const);
  return (
    <div className={styles.response} id={idPrefix}>
      <h4 className={styles.responseHead}>
        <span className={statusBadge(status)}>{status}</span>
        <span>{response.description}</span>
      </h4>
      {headers.length ? (
        <div className="table-wrap">
          <table className={`data ${styles.fields}`}>
            <caption className="sr-only">Response headers for {status}</caption>
            <Cols widths={[20, 15, 65]} />
            <thead><tr><th scope="col">Header</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead>
            <tbody>
              {headers.map(([name, h]) => (
                <tr key={name}>
                  <th scope="row" className={styles.fieldName}><code>{name}</code></th>
                  <td><TypeText type={typeLabel(h.schema)} /></td>
                  <td className={styles.description}>{h.description}{h.example !== undefined ? <span className="muted"> Example: <code>{String(h.example)}</code></span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {Object.entries(response.content ?? {}).map(([type, media]) => (
        <MediaTypeView key={type} document={doc} contentType={type} media={media} idPrefix={`${idPrefix}-${type.replace(/\W+/g, "-")}`} expand={expand} io="response" />
      ))}
    </div>
  );
}

const SIGN_SCRIPT = `// sign-webhook.mjs — prints the Standard Webhooks headers for a body file
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const body = readFileSync(process.argv[2], "utf8");
const id = \`msg_\${randomUUID()}\`;
const at = new Date();
const signature = new Webhook(process.env.SWITCHYARD_WEBHOOK_SECRET).sign(id, at, body);
console.log(\`webhook-id: \${id}\\nwebhook-timestamp: \${Math.floor(at.getTime() / 1000)}\\nwebhook-signature: \${signature}\`);`;

/** The quick start: one lead with an API key, one through a Standard Webhooks source. */
function FirstLead() {
  const lead = JSON.stringify(firstLeadExample, null, 2);
  const curlKey = [
    `curl -sS "$SWITCHYARD_URL/api/v1/leads" \\`,
    `  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: first-lead-001" \\`,
    `  --data-binary @- <<'JSON'`,
    lead,
    "JSON",
  ].join("\n");
  const curlWebhook = [
    "cat > lead.json <<'JSON'",
    JSON.stringify(firstWebhookLeadExample, null, 2),
    "JSON",
    "npm install standardwebhooks",
    "node sign-webhook.mjs lead.json > headers.txt",
    `curl -sS "$SWITCHYARD_URL/api/v1/sources/$SOURCE_ID/webhook" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H @headers.txt \\`,
    `  --data-binary @lead.json`,
  ].join("\n");
  return (
    <section id="first-lead" className={`card ${styles.section}`} aria-labelledby="first-lead-title">
      <div className="card-head"><h2 id="first-lead-title">Send your first lead</h2></div>
      <div className="card-body stack">
        <div>
          <h3 className={styles.subhead}>With an API key</h3>
          <ol className={styles.steps}>
            <li>In Switchyard, open <strong>Settings → Inbound</strong> (admin or revenue ops) and create an API key. Copy it: it is shown once.</li>
            <li>Post a lead. Send the same <code>Idempotency-Key</code> again and you get the same lead back with <code>200</code>.</li>
          </ol>
          <CodeBlock label="curl: send a lead with an API key" code={`export SWITCHYARD_URL=https://switchyard.example.com\nexport SWITCHYARD_API_KEY=sy_…\n\n${curlKey}`} />
          <p className="muted small">The answer (<code>201 Created</code>) says where the lead went and links to its decision trace:</p>
          <CodeBlock label="Example response" code={JSON.stringify(ingestExamples.assigned.value, null, 2)} />
        </div>
        <div>
          <h3 className={styles.subhead}>From a Standard Webhooks source</h3>
          <ol className={styles.steps}>
            <li>In <strong>Settings → Inbound</strong>, add a source of kind <em>Standard Webhooks</em>. Copy its webhook URL (it ends in the source id) and its <code>whsec_…</code> secret.</li>
            <li>Sign the exact bytes you send. Any Standard Webhooks library works; in Node, with the <code>standardwebhooks</code> package:</li>
          </ol>
          <CodeBlock label="Node: sign-webhook.mjs" code={SIGN_SCRIPT} />
          <CodeBlock
            label="curl: send a signed webhook"
            code={`export SWITCHYARD_URL=https://switchyard.example.com\nexport SOURCE_ID=<the source id>\nexport SWITCHYARD_WEBHOOK_SECRET=whsec_…\n\n${curlWebhook}`}
          />
          <p className="muted small">
            Send within 5 minutes of signing. <code>--data-binary</code> keeps the body byte for byte (<code>--data</code> would strip newlines and
            break the signature). A redelivery with the same <code>webhook-id</code> returns the original lead.
          </p>
        </div>
      </div>
    </section>
  );
}
