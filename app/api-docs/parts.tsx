/** Building blocks of the API reference page: a small Markdown reader, code blocks, field tables, examples. */
import { Fragment, type ReactNode } from "react";
import type { ExampleObject, JsonSchema, MediaTypeObject, OpenApiDocument, Reference } from "@/server/openapi/document";
import { constraints, deref, isClosed, refName, schemaFields, typeLabel, type TypeLabel } from "@/server/openapi/fields";
import styles from "./api-docs.module.css";

export const schemaAnchor = (name: string) => `schema-${name}`;
export const operationAnchor = (operationId: string) => `op-${operationId}`;

// ------------------------------------------------------------------------------------------------ markdown

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\[[^\]]+\]\([^)\s]+\))/g;

/** Inline Markdown: `code`, **bold** and [links](…) (only http(s) and in-page targets become links). */
function inline(text: string): ReactNode[] {
  return text.split(INLINE).map((part, i) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith("**") && part.endsWith("**") && part.length > 3) return <strong key={i}>{part.slice(2, -2)}</strong>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link && /^(https?:\/\/|#)/.test(link[2]!)) return <a key={i} href={link[2]}>{link[1]}</a>;
    return <Fragment key={i}>{part}</Fragment>;
  });
}

/**
 * The Markdown subset the document's descriptions use: paragraphs, "- " lists, "### " headings and inline code,
 * bold and links. Rendered as React elements (never as HTML strings), so description text cannot inject markup.
 */
export function Markdown({ text, headingLevel = 3 }: { text: string; headingLevel?: 3 | 4 }) {
  const blocks: ReactNode[] = [];
  let list: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push(<p key={blocks.length}>{inline(paragraph.join(" "))}</p>);
    if (list.length) blocks.push(<ul key={blocks.length}>{list.map((item, i) => <li key={i}>{inline(item)}</li>)}</ul>);
    paragraph = [];
    list = [];
  };
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") flush();
    else if (trimmed.startsWith("### ")) {
      flush();
      const Heading = `h${headingLevel}` as const;
      blocks.push(<Heading key={blocks.length}>{inline(trimmed.slice(4))}</Heading>);
    } else if (trimmed.startsWith("- ")) {
      if (paragraph.length) flush();
      list.push(trimmed.slice(2));
    } else {
      if (list.length) flush();
      paragraph.push(trimmed);
    }
  }
  flush();
  return <div className={styles.prose}>{blocks}</div>;
}

// ------------------------------------------------------------------------------------------------ code

/** A scrollable, keyboard-focusable code block. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <pre className={styles.code} tabIndex={0} aria-label={label}>
      <code>{code}</code>
    </pre>
  );
}

/** Named examples, each a collapsible code block (the first one open). */
export function Examples({ examples, contentType, idPrefix }: { examples: Record<string, ExampleObject>; contentType: string; idPrefix: string }) {
  const entries = Object.entries(examples);
  if (!entries.length) return null;
  return (
    <div className={styles.examples}>
      {entries.map(([name, example], i) => (
        <details key={name} open={i === 0} className={styles.example} id={`${idPrefix}-example-${name}`}>
          <summary>
            <span className={styles.exampleName}>Example</span> {example.summary ?? name}
          </summary>
          <CodeBlock code={formatExample(example.value, contentType)} label={`Example: ${example.summary ?? name}`} />
        </details>
      ))}
    </div>
  );
}

/** JSON pretty-printed; form examples as the urlencoded body they stand for. */
export function formatExample(value: unknown, contentType: string): string {
  if (contentType === "application/x-www-form-urlencoded" && value && typeof value === "object") {
    return new URLSearchParams(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString().replace(/&/g, "\n&");
  }
  return JSON.stringify(value, null, 2);
}

// ------------------------------------------------------------------------------------------------ schemas

/** Column widths in percent (the field tables use a fixed layout so long types and constraints wrap). */
export function Cols({ widths }: { widths: number[] }) {
  return <colgroup>{widths.map((w, i) => <col key={i} style={{ width: `${w}%` }} />)}</colgroup>;
}

export function TypeText({ type }: { type: TypeLabel }) {
  return (
    <span className={styles.type}>
      {type.map((part, i) => (part.ref ? <a key={i} href={`#${schemaAnchor(part.ref)}`}>{part.text}</a> : <Fragment key={i}>{part.text}</Fragment>))}
    </span>
  );
}

function Constraints({ items }: { items: string[] }) {
  if (!items.length) return <span className="muted">—</span>;
  return (
    <ul className={styles.constraints}>
      {items.map((c) => {
        const oneOf = /^(.*?)one of (.+)$/.exec(c);
        if (!oneOf) return <li key={c}><code>{c}</code></li>;
        return (
          <li key={c} className={styles.enumValues}>
            <span className="muted small">{oneOf[1]}one of</span>
            {oneOf[2]!.split(", ").map((v) => <code key={v}>{v}</code>)}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * A schema as a readable table: one row per field (nested fields indented below their parent), with type,
 * required, constraints and description. Unions of components and maps are summarised above the table instead.
 */
export function SchemaView({
  document, schema, caption, io,
}: { document: OpenApiDocument; schema: JsonSchema | Reference; caption: string; io: "request" | "response" }) {
  const resolved = deref<JsonSchema>(document, schema);
  const rows = schemaFields(document, resolved);
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as JsonSchema[] | undefined;
  return (
    <div className={styles.schema}>
      {alternatives && !rows.length ? (
        <>
          <p className={styles.schemaNote}>One of:</p>
          <ul className={styles.alternatives}>
            {alternatives.map((alt, i) => {
              const target = "$ref" in alt ? deref<JsonSchema>(document, alt as Reference) : alt;
              return (
                <li key={i}>
                  <TypeText type={typeLabel(alt)} />
                  {target.description ? <span className="muted"> — {String(target.description)}</span> : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {!alternatives && !rows.length ? (
        <p className={styles.schemaNote}>
          <TypeText type={typeLabel(resolved)} />
          {constraints(resolved).length ? <> · {constraints(resolved).join(" · ")}</> : null}
        </p>
      ) : null}
      {rows.length ? (
        <div className="table-wrap">
          <table className={`data ${styles.fields}`}>
            <caption className="sr-only">{caption}</caption>
            <Cols widths={[20, 17, 9, 20, 34]} />
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Type</th>
                <th scope="col">Required</th>
                <th scope="col">Constraints</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row" className={styles.fieldName} style={{ paddingLeft: 12 + row.depth * 20 }}>
                    {row.depth > 0 ? <span className={styles.nest} aria-hidden>└</span> : null}
                    {row.variant ? <em className={styles.variant}>{row.name}</em> : <code>{row.name}</code>}
                  </th>
                  <td><TypeText type={row.type} /></td>
                  <td>
                    {row.variant ? <span className="muted small">one of the options</span>
                      : row.required ? <span className="badge badge-brand">{io === "request" ? "required" : "always"}</span>
                      : <span className="muted small">optional</span>}
                  </td>
                  <td><Constraints items={row.constraints} /></td>
                  <td className={styles.description}>{row.description ? <Markdown text={row.description} /> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {rows.length && isClosed(document, resolved) ? <p className={`${styles.schemaNote} muted small`}>No other fields are accepted.</p> : null}
    </div>
  );
}

/** One media type of a request or response: its schema (linked and, when `expand`, tabled) and its examples. */
export function MediaTypeView({
  document, contentType, media, idPrefix, expand, io,
}: { document: OpenApiDocument; contentType: string; media: MediaTypeObject; idPrefix: string; expand: boolean; io: "request" | "response" }) {
  const ref = "$ref" in media.schema ? refName(String(media.schema.$ref)) : undefined;
  const table = <SchemaView document={document} schema={media.schema} caption={`${contentType} fields${ref ? ` (${ref})` : ""}`} io={io} />;
  return (
    <div className={styles.media}>
      <p className={styles.mediaHead}>
        <code>{contentType}</code>
        {ref ? <> — schema <a href={`#${schemaAnchor(ref)}`}>{ref}</a></> : null}
      </p>
      {expand ? table : (
        <details className={styles.schemaDetails}>
          <summary>Schema{ref ? `: ${ref}` : ""}</summary>
          {table}
        </details>
      )}
      {media.examples ? <Examples examples={media.examples} contentType={contentType} idPrefix={idPrefix} /> : null}
    </div>
  );
}
