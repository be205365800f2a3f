/**
 * Reporting verbs: the cues news writing uses to attribute speech, writing and stated positions.
 * Written for Margin in the spirit of the Gender Gap Tracker's list (speech verbs, verbs of
 * writing and publication, and verbs of stance such as "argued" or "warned").
 */
const BASES = [
  'say', 'tell', 'add', 'state', 'note', 'explain', 'write', 'report', 'announce', 'declare', 'claim', 'argue', 'insist', 'deny',
  'allege', 'assert', 'contend', 'maintain', 'warn', 'predict', 'acknowledge', 'admit', 'concede', 'confirm', 'recall', 'remark',
  'reply', 'respond', 'answer', 'ask', 'suggest', 'stress', 'emphasize', 'emphasise', 'point out', 'observe', 'comment', 'continue',
  'conclude', 'complain', 'charge', 'accuse', 'tweet', 'post', 'testify', 'promise', 'vow', 'pledge', 'urge', 'caution', 'boast',
  'brag', 'joke', 'quip', 'mention', 'reveal', 'disclose', 'estimate', 'believe', 'think', 'worry', 'fear', 'hope', 'agree',
  'disagree', 'counter', 'retort', 'shout', 'scream', 'yell', 'cry', 'whisper', 'declare', 'proclaim', 'repeat', 'reiterate',
  'indicate', 'signal', 'hint', 'imply', 'predict', 'forecast', 'project', 'find', 'show', 'conclude', 'assure', 'reassure',
  'inform', 'advise', 'instruct', 'demand', 'plead', 'propose', 'recommend', 'concur', 'dispute', 'question', 'wonder', 'speculate',
  'guess', 'figure', 'acknowledge', 'attest', 'certify', 'describe', 'blast', 'slam', 'criticize', 'criticise', 'praise', 'echo',
  'elaborate', 'underscore', 'reason', 'posit', 'surmise', 'cite', 'say so', 'announce', 'threaten', 'swear', 'grumble', 'lament',
  'muse', 'exclaim', 'sigh', 'chant', 'sing', 'read', 'begin', 'go on', 'call', 'label', 'dub', 'brand', 'deride', 'hail', 'decry', 'denounce', 'mock',
  'call for', 'call on', 'want', 'plan', 'expect', 'intend', 'support', 'oppose', 'attack', 'reject', 'welcome',
];

const IRREGULAR: Record<string, string[]> = {
  say: ['say', 'says', 'said', 'saying'],
  tell: ['tell', 'tells', 'told', 'telling'],
  write: ['write', 'writes', 'wrote', 'writing', 'written'],
  think: ['thinks', 'thought'],
  find: ['finds', 'found'],
  swear: ['swears', 'swore', 'sworn'],
  read: ['reads'],
  begin: ['began'],
  sing: ['sang', 'sings'],
  'go on': ['went on', 'goes on'],
  show: ['shows', 'showed', 'shown'],
  cry: ['cried', 'cries'],
};

function inflect(base: string): string[] {
  if (IRREGULAR[base]) return IRREGULAR[base];
  const [verb, ...rest] = base.split(' ');
  const tail = rest.length ? ` ${rest.join(' ')}` : '';
  const v = verb!;
  const forms: string[] = [];
  if (v.endsWith('e')) forms.push(`${v}s`, `${v}d`, `${v.slice(0, -1)}ing`);
  else if (/[^aeiou]y$/.test(v)) forms.push(`${v.slice(0, -1)}ies`, `${v.slice(0, -1)}ied`, `${v}ing`);
  else if (/(s|sh|ch|x|z)$/.test(v)) forms.push(`${v}es`, `${v}ed`, `${v}ing`);
  else if (/^(admit|quip|plan|regret|commit)$/.test(v)) forms.push(`${v}s`, `${v}${v.slice(-1)}ed`, `${v}${v.slice(-1)}ing`);
  else forms.push(`${v}s`, `${v}ed`, `${v}ing`);
  return [base, ...forms.map((f) => f + tail)];
}

/** Inflected form → base form ("told" → "tell"). The base form itself is a cue only after a plural subject. */
export const REPORTING_FORMS: ReadonlyMap<string, string> = new Map(BASES.flatMap((b) => inflect(b).map((f) => [f, b] as [string, string])));

/** Verbs whose object comes before the reported content: "told reporters that …". */
export const TELLING_VERBS = new Set(['tell', 'inform', 'assure', 'reassure', 'advise', 'instruct', 'warn', 'remind', 'ask', 'urge', 'accuse']);

/** Cues of a contested statement: what follows is a claim by the speaker. */
export const CLAIM_VERBS = new Set(['claim', 'argue', 'insist', 'deny', 'allege', 'assert', 'contend', 'maintain', 'charge', 'accuse', 'dispute', 'counter', 'suggest', 'predict', 'estimate', 'boast', 'brag']);

/** Weak cues: verbs that are reporting verbs only next to a quote or a that-clause ("showed that", "found that"). */
export const WEAK_VERBS = new Set(['find', 'think', 'believe', 'hope', 'worry', 'fear', 'continue', 'read', 'begin', 'go on', 'project', 'figure', 'question', 'reason', 'sing', 'chant', 'post', 'answer', 'disagree', 'promise', 'demand', 'propose', 'recommend', 'signal', 'indicate', 'guess', 'wonder', 'echo', 'repeat', 'threaten', 'swear', 'read']);

/** Reporting nouns that act as cues after "in a …" or as the subject ("The statement said"). */
export const REPORTING_NOUNS = new Set(['statement', 'interview', 'tweet', 'post', 'letter', 'memo', 'report', 'release', 'speech', 'email', 'op-ed', 'remarks', 'filing', 'complaint', 'lawsuit', 'study', 'survey', 'poll', 'analysis']);

/** Verbs that report words only when those words are quoted: "called the plan “a disaster”". */
export const NAMING_VERBS = new Set(['call', 'label', 'dub', 'brand', 'describe', 'deride', 'hail', 'decry', 'denounce', 'mock', 'praise', 'criticize', 'criticise', 'blast', 'slam']);

/** Verbs that state something as fact: their reported content is a claim by the speaker. */
export const STATING_VERBS = new Set(['say', 'state', 'assert', 'add', 'note', 'report', 'confirm', 'acknowledge', 'admit', 'reveal', 'find', 'show', 'conclude', 'tell', 'write', 'explain', 'stress', 'emphasize', 'indicate']);
