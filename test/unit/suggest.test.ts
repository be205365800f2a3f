import { describe, expect, it } from 'vitest';
import { suggest } from '../../shared/suggest';
import { findDates } from '../../shared/suggest/dates';
import { findQuotedPassages } from '../../shared/suggest/quoteMarks';

/** The engine on the difficult cases of news writing: what an analyst would see proposed. */

const NBSP = '\u00a0';

/** Each quote with its kind, speaker and the text of the source it is linked to. */
function quotes(text: string): { quote: string; kind?: string; speaker?: string; source?: string }[] {
  const list = suggest(text);
  const byId = new Map(list.map((s) => [s.id, s]));
  return list
    .filter((s) => s.label === 'quote')
    .map((s) => {
      const src = s.links[0] ? byId.get(s.links[0].to) : undefined;
      return { quote: text.slice(s.start, s.end), kind: s.attributes.kind, speaker: s.attributes.speaker, source: src ? text.slice(src.start, src.end) : undefined };
    });
}

describe('direct quotes in every quotation-mark style', () => {
  it('curly double quotes, the source after the quote, a pronoun resolved to the earlier name', () => {
    const text = `Secretary of State Antony Blinken arrived in Ankara on Monday.\n\n“We’ve made progress,” he said. “There is more to do.”`;
    expect(quotes(text)).toEqual([{ quote: '“We’ve made progress,” he said. “There is more to do.”', kind: 'direct', speaker: 'Secretary of State Antony Blinken', source: 'he' }]);
  });

  it('straight quotes and non-breaking spaces, the source before the quote', () => {
    const text = `The mayor,${NBSP}Bill${NBSP}de Blasio, spoke at the scene.\n\nDe Blasio said: "We do not see a link to terrorism."`;
    const [q] = quotes(text);
    expect(q).toMatchObject({ quote: '"We do not see a link to terrorism."', kind: 'direct', source: 'De Blasio' });
  });

  it('guillemets, with an inverted source and its title', () => {
    const text = '«Europe must be able to defend itself,» said French President François Hollande.';
    expect(quotes(text)).toEqual([{ quote: '«Europe must be able to defend itself,»', kind: 'direct', speaker: 'French President François Hollande', source: 'French President François Hollande' }]);
  });

  it('single quotes are quotes, apostrophes are not', () => {
    const text = 'The senator’s aide dismissed the report as ‘a partisan fishing expedition’ on Monday, and said it wasn’t news.';
    const passages = findQuotedPassages(text).map((p) => text.slice(p.start, p.end));
    expect(passages).toEqual(['‘a partisan fishing expedition’']);
  });

  it("two apostrophes as a double mark (''…''), and an inverted source's aside is not the content", () => {
    const text = "''It's more tinkering at the edges,'' said Alan Cole, an economist at the Tax Foundation. ''I wouldn't call it reform.''";
    expect(quotes(text)).toEqual([{ quote: text, kind: 'direct', speaker: 'Alan Cole', source: 'Alan Cole' }]);
    const mixed = 'Both parties "saw Burma as a country reeling under pressure from China," said Victor Cha, who served at the National Security Council.';
    expect(quotes(mixed)[0]).toMatchObject({ quote: 'Both parties "saw Burma as a country reeling under pressure from China,"', source: 'Victor Cha' });
  });

  it('a quote signed with a dash, as readers’ reactions are', () => {
    const text = '“Maybe we can build a wall around him.” ― Steve Quinlan';
    expect(quotes(text)).toEqual([{ quote: '“Maybe we can build a wall around him.”', kind: 'direct', speaker: 'Steve Quinlan', source: 'Steve Quinlan' }]);
  });
});

describe('quotes broken and continued', () => {
  it('“A,” he said. “B.” is one quote from the first mark to the last', () => {
    const text = '“Hillary Clinton’s campaign is in panic mode,” Caddell said. “It is one of the things worrying them.”';
    expect(quotes(text)).toEqual([{ quote: text, kind: 'direct', speaker: 'Caddell', source: 'Caddell' }]);
  });

  it('“A,” she told the host, “B.” keeps the object out and both parts in', () => {
    const text = '“Now that I don’t have to be politically correct anymore,” she told the host, “it was demoralizing.”';
    expect(quotes(text)[0]).toMatchObject({ quote: text, source: 'she' });
  });

  it('a quote running over paragraphs: an unclosed paragraph continues in the next one opening with a mark', () => {
    const text = 'Graham spoke to donors in Columbia.\n\n“The party has no plan. We keep losing young voters.\n\n“Does anybody know what our platform is? Neither do I,” Graham said.\n\nThe event ended at noon.';
    const [q] = quotes(text);
    expect(q!.quote).toBe('“The party has no plan. We keep losing young voters.\n\n“Does anybody know what our platform is? Neither do I,”');
    expect(q).toMatchObject({ kind: 'direct', source: 'Graham' });
  });

  it('a question mark inside the quote does not cut it from “he asked”', () => {
    const text = '“Does anybody know what the environmental platform of the Republican Party is?” Graham asked.';
    expect(quotes(text)[0]).toMatchObject({ quote: '“Does anybody know what the environmental platform of the Republican Party is?”', source: 'Graham' });
  });
});

describe('partial quotes', () => {
  it('quoted words in a sentence with no attribution of their own are the voice quoted last; short ones (titles, scare quotes) are left alone', () => {
    const text = '“We will win,” Trump said.\n\nThe crowd cheered his promise of a “great wall that Mexico will pay for” and booed the “fake news” pens.';
    expect(quotes(text)).toEqual([
      { quote: '“We will win,”', kind: 'direct', speaker: 'Trump', source: 'Trump' },
      { quote: '“great wall that Mexico will pay for”', kind: 'partial', speaker: 'Trump', source: 'Trump' },
    ]);
  });
});

describe('indirect speech', () => {
  it('"X said that …": the content starts at "that" and leaves the final period out', () => {
    const text = 'The New York Post reports that Clinton’s team avoided taking her to the emergency room.';
    expect(quotes(text)).toEqual([{ quote: 'that Clinton’s team avoided taking her to the emergency room', kind: 'indirect', speaker: 'The New York Post', source: 'The New York Post' }]);
  });

  it('"…, a source said.": the content is what comes before the comma', () => {
    const text = 'But a campaign operative decided to change course to avoid treatment by doctors, a source said.';
    expect(quotes(text)).toEqual([{ quote: 'But a campaign operative decided to change course to avoid treatment by doctors', kind: 'indirect', speaker: 'a source', source: 'a source' }]);
  });

  it('"according to X, …" and "…, according to X"', () => {
    const first = 'According to the Federal Bureau of Prisons, 40 percent of inmates are black.';
    expect(quotes(first)[0]).toMatchObject({ quote: '40 percent of inmates are black', kind: 'indirect', source: 'the Federal Bureau of Prisons' });
    const last = 'The top 1 percent paid 25.4 percent of all federal taxes in 2013, according to the Congressional Budget Office.';
    expect(quotes(last)[0]).toMatchObject({ quote: 'The top 1 percent paid 25.4 percent of all federal taxes in 2013', source: 'the Congressional Budget Office' });
  });

  it('"X told reporters …": the one told is not the content', () => {
    const text = 'Clinton told reporters on her plane that she had not been briefed on the bombing.';
    expect(quotes(text)[0]).toMatchObject({ quote: 'that she had not been briefed on the bombing', kind: 'indirect', source: 'Clinton' });
    const bare = 'McAuliffe told reporters about 20 people have indicated an interest in the seat.';
    expect(quotes(bare)[0]).toMatchObject({ quote: 'about 20 people have indicated an interest in the seat', source: 'McAuliffe' });
  });
});

describe('speakers', () => {
  it('a title is a source, and "the official" later is the same one', () => {
    const text = 'The talks will resume next week, a senior administration official said.\n\nThe official said that no date had been set.';
    const found = quotes(text);
    expect(found.map((q) => q.source)).toEqual(['a senior administration official', 'The official']);
    expect(found[1]!.speaker).toBe('a senior administration official');
  });

  it('a surname takes the full name mentioned earlier; a subject with an aside keeps the name', () => {
    const text = 'Rucker Culpepper, who runs the campaign’s veterans effort, said, "Trump has been disrespecting our veterans."\n\n"It is disqualifying," Culpepper said.';
    const found = quotes(text);
    expect(found[0]).toMatchObject({ kind: 'direct', source: 'Rucker Culpepper, who runs the campaign’s veterans effort' });
    expect(found[0]!.speaker).toBe('Rucker Culpepper');
    expect(found[1]).toMatchObject({ source: 'Culpepper', speaker: 'Rucker Culpepper' });
  });

  it('a time between the subject and the verb is not the subject', () => {
    const text = 'Antony Blinken on Monday asserted he made progress on the goals he set for the trip.';
    expect(quotes(text)[0]).toMatchObject({ source: 'Antony Blinken', quote: 'he made progress on the goals he set for the trip' });
  });
});

describe('claims and events', () => {
  it('a claim verb makes the content a claim by the speaker; a figure makes a sentence a claim', () => {
    const text = 'Trump insisted that the economy was the worst in 50 years.\n\nUnemployment fell to 4.9 percent in August.';
    const list = suggest(text, { labels: ['claim'] });
    const claims = list.filter((s) => s.label === 'claim');
    expect(claims.map((c) => text.slice(c.start, c.end))).toEqual(['that the economy was the worst in 50 years', 'Unemployment fell to 4.9 percent in August']);
    expect(claims[0]!.attributes.claimant).toBe('Trump');
    const source = list.find((s) => s.id === claims[0]!.links[0]!.to)!;
    expect(text.slice(source.start, source.end)).toBe('Trump');
    expect(claims[1]!.attributes.claimant).toBeUndefined();
  });

  it('reported speech that states a fact is a claim by its speaker; a question is not', () => {
    const text = 'Netanyahu was "fully responsible for thwarting the efforts of the mediators," the Palestinian movement said in a statement.\n\nReporters asked whether talks would resume.';
    const claims = suggest(text, { labels: ['claim'] }).filter((s) => s.label === 'claim');
    expect(claims.map((c) => [text.slice(c.start, c.end), c.attributes.claimant])).toEqual([['Netanyahu was "fully responsible for thwarting the efforts of the mediators,"', 'the Palestinian movement']]);
  });

  it('events get a type, a date counted from the published date and a place', () => {
    const text = 'Blinken met Iraqi Prime Minister Mohammed Shia al-Sudani in Baghdad on Sunday.\n\nA bomb exploded in Chelsea on Sept. 17, injuring 29 people.';
    const events = suggest(text, { labels: ['event'], publishedDate: '2023-11-06' });
    expect(events.map((e) => ({ text: text.slice(e.start, e.end), ...e.attributes }))).toEqual([
      { text: 'Blinken met Iraqi Prime Minister Mohammed Shia al-Sudani in Baghdad on Sunday', type: 'meeting', date: '2023-11-05', place: 'Baghdad' },
      { text: 'A bomb exploded in Chelsea on Sept. 17, injuring 29 people', type: 'attack', date: '2023-09-17', place: 'Chelsea' },
    ]);
  });

  it('dates: relative days, a month and day across a new year, a full date, nothing without a published date', () => {
    const text = 'yesterday · Dec. 30 · 11 September 2001 · Monday';
    expect(findDates(text, 0, text.length, '2024-01-02').map((d) => d.date)).toEqual(['2024-01-01', '2023-12-30', '2001-09-11', '2024-01-01']);
    expect(findDates(text, 0, text.length).map((d) => d.date)).toEqual(['2001-09-11']);
  });
});

describe('offsets', () => {
  it('are UTF-16 indices into the text, astral characters before the span included', () => {
    const text = '🇺🇸 Election night 🗳️\n\n“We will win,” she said.';
    const q = suggest(text).find((s) => s.label === 'quote')!;
    expect(text.slice(q.start, q.end)).toBe('“We will win,”');
  });

  it('only the labels asked for (with the sources their links need)', () => {
    const text = '“We will win,” she said on Monday in Ohio, where 40 percent of voters are undecided.';
    expect(new Set(suggest(text, { labels: ['quote'] }).map((s) => s.label))).toEqual(new Set(['quote', 'source']));
    expect(suggest(text, { labels: ['event'] }).every((s) => s.label === 'event')).toBe(true);
  });
});
