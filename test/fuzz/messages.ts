import { CaseFailure } from './tally';

/**
 * Text that belongs to the code, not to a reader: engine error names and messages, stack lines,
 * errno codes, "internal", JavaScript values printed as they are.
 */
export const INTERNALS =
  /\b(?:TypeError|RangeError|SyntaxError|ReferenceError|Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined|NaN|internal)\b|\[object Object\]|\n\s+at |\bE(?:ACCES|PERM|NOENT|NOTDIR|ISDIR|MFILE|NFILE|BUSY|IO|NOSPC|EXIST|INVAL|LOOP|NAMETOOLONG)\b|Unexpected token|is not valid JSON/;

/** A message a person reads: one line, with words, nothing of the code's internals; names `name` when given. */
export function checkMessage(message: string, where: string, name?: string): void {
  if (typeof message !== 'string' || message.trim() === '') throw new CaseFailure('message', `${where}: an empty message`);
  if (message.includes('\n')) throw new CaseFailure('message', `${where}: a message on several lines: ${message}`);
  // What the message quotes is the file's own text ("NaN" may be a label there), not the code's.
  const internal = INTERNALS.exec(message.replace(/"(?:[^"\\]|\\.)*"|“[^”]*”/g, '""'));
  if (internal) throw new CaseFailure('message', `${where}: the message shows internals ("${internal[0]}"): ${message}`);
  if (name !== undefined && !message.includes(name)) throw new CaseFailure('message', `${where}: the message does not name ${name}: ${message}`);
}
