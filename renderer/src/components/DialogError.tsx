/** A dialog's failure, announced to screen readers as it appears; nothing while there is none. */
export function DialogError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" role="alert">
      {message}
    </p>
  );
}
