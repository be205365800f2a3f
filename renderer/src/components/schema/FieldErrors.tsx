/** A field's problems, right under it; the field points here with aria-describedby. */
export function FieldErrors({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <ul className="schema-field-errors" id={id}>
      {messages.map((m) => (
        <li key={m} className="field-error">
          {m}
        </li>
      ))}
    </ul>
  );
}

/** A DOM id for a field's error list (field keys are made of ids and dots only). */
export const errorId = (field: string) => `schema-problem-${field.replace(/[^\w-]/g, '_')}`;

/** Props that tie an input to its problems: aria-invalid and aria-describedby. */
export function invalidProps(field: string, messages: readonly string[] | undefined) {
  const invalid = !!messages && messages.length > 0;
  return { 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId(field) : undefined };
}
