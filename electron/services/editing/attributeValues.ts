import type { AttributeValue, LabelDef } from '../../../shared/model';
import { attributeProblem, attributeProblems, isFormatAttribute } from '../../../shared/schemaRules';
import { MarginError } from '../errors';

type Attributes = Record<string, AttributeValue>;

const isEmpty = (value: AttributeValue) => value === '' || (Array.isArray(value) && value.length === 0);

/** Empty text and empty lists mean "no value": they are left out rather than stored. */
export function withoutEmpty(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => !isEmpty(v)));
}

/**
 * Attribute values a person typed, checked against the label: every value must fit its
 * attribute's type, or the whole change is refused with each field named.
 */
export function checkedAttributes(label: LabelDef, attributes: Attributes): Attributes {
  const kept = withoutEmpty(attributes);
  const problems = attributeProblems(label, kept);
  if (problems.length > 0) {
    const issues = problems.map((p) => `${p.path}: ${p.message}`);
    throw new MarginError('bad-input', issues.join('; '), issues);
  }
  return kept;
}

/**
 * Attribute values carried over to a label they were not typed for (a relabel, a schema edit):
 * what the label does not define is dropped, a multiple choice keeps the choices that remain,
 * and a value that no longer fits its attribute's type is dropped. Nothing is refused.
 */
export function fittingAttributes(label: LabelDef, attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (isFormatAttribute(name)) {
      kept[name] = value;
      continue;
    }
    const def = label.attributes.find((a) => a.name === name);
    if (!def || isEmpty(value)) continue;
    if (def.type === 'multi' && Array.isArray(value)) {
      const remaining = value.filter((v) => (def.values ?? []).includes(v));
      if (remaining.length > 0) kept[name] = remaining.length === value.length ? value : remaining;
    } else if (attributeProblem(def, value) === null) {
      kept[name] = value;
    }
  }
  return kept;
}
