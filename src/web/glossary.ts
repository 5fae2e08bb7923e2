// The page's glossary: a one-line definition per term, listed in its own section, and reachable in place. A term
// in a lesson's text becomes a link to its entry, and a figure title or axis label that names a term is
// focusable; both show the definition in a tooltip on hover and on keyboard focus.

interface Term {
  id: string;
  term: string;
  /** How the lessons' text and the figures' labels write it. */
  spellings: string[];
  definition: string;
}

export const GLOSSARY: readonly Term[] = [
  { id: 'ex2', term: 'E[a²]', spellings: ['E[a²]', 'E[a^2]'], definition: 'The mean square of a layer\'s activations over the batch and the units: how large the signal is at that depth.' },
  { id: 'shrink', term: 'shrink factor', spellings: ['E[a²]/E[z²]', 'shrink factor'], definition: 'E[a²]/E[z²], what the activation keeps of its input\'s mean square: 1/2 for ReLU.' },
  { id: 'q', term: 'q', spellings: [], definition: 'The mean-field length of a layer: E[z²] per unit, as the theory follows it from layer to layer.' },
  { id: 'q-star', term: 'q*', spellings: ['q*'], definition: 'The fixed point of the length map: the E[z²] deep layers settle at.' },
  { id: 'chi', term: 'χ', spellings: ['χ ='], definition: 'σw²·E[φ′(z)²]: the factor a layer multiplies the gradient\'s mean square by in the backward pass.' },
  { id: 'chi1', term: 'χ₁', spellings: ['χ₁'], definition: 'The slope of the correlation map at c = 1: below 1 the network is ordered, above 1 chaotic.' },
  { id: 'c', term: 'c', spellings: ['z_corr'], definition: 'The correlation of two inputs\' z at a layer (z_corr is its measured value).' },
  { id: 'c-star', term: 'c*', spellings: ['c*'], definition: 'The fixed point of the correlation map: where pairs of inputs end up deep in the network.' },
  { id: 'xi-c', term: 'ξ_c', spellings: ['ξ_c'], definition: 'The correlation depth: how many layers it takes c to forget where it started; infinite at χ₁ = 1.' },
  { id: 'c-map', term: 'c-map', spellings: ['c-map'], definition: 'The correlation map: a pair\'s correlation after a layer against its correlation before it.' },
  { id: 'spp', term: 'SPP', spellings: ['Signal Propagation Plot', 'SPP'], definition: 'Signal Propagation Plot: a residual stream\'s average squared channel mean and channel variance per block.' },
  { id: 'eig-var', term: 'eig_var', spellings: ['eig_var', 'var/mean²'], definition: 'The spread of the eigenvalues of JJᵀ, their variance over their mean squared: 0 is isometry.' },
  { id: 'token-corr', term: 'token_corr', spellings: ['token_corr'], definition: 'The mean cosine between the tokens of a sequence: 1 when every token is the same vector (rank collapse).' },
];

const termOf = (id: string) => GLOSSARY.find((t) => t.id === id);

/** The glossary section's list: each term with its definition, an anchor per entry. */
export function renderGlossary(list: HTMLElement): void {
  list.replaceChildren(...GLOSSARY.flatMap((t) => [
    Object.assign(document.createElement('dt'), { id: `glossary-${t.id}`, textContent: t.term }),
    Object.assign(document.createElement('dd'), { textContent: t.definition }),
  ]));
}

/** The spellings, longest first, each with its term, so "E[a²]/E[z²]" wins over "E[a²]". */
const SPELLINGS = GLOSSARY.flatMap((t) => t.spellings.map((s) => ({ s, t }))).sort((a, b) => b.s.length - a.s.length);

/** Links the first mention of each term in the text nodes under `root` to its glossary entry. */
export function linkTerms(root: HTMLElement): void {
  const seen = new Set<string>();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  while (walker.nextNode()) nodes.push(walker.currentNode as Text);
  for (const node of nodes) {
    let rest: Text | null = node;
    while (rest) {
      const text: string = rest.data;
      const hit = SPELLINGS.map(({ s, t }) => ({ at: text.indexOf(s), s, t })).filter((h) => h.at >= 0 && !seen.has(h.t.id)).sort((a, b) => a.at - b.at)[0];
      if (!hit) break;
      seen.add(hit.t.id);
      const after: Text = rest.splitText(hit.at);
      rest = after.splitText(hit.s.length);
      const link = Object.assign(document.createElement('a'), { href: `#glossary-${hit.t.id}`, className: 'term', textContent: hit.s });
      link.dataset.term = hit.t.id;
      after.replaceWith(link);
    }
  }
}

/** A figure's title and axis labels that name a term: focusable, with the term's definition as their tooltip. */
export function markFigureTerms(svg: SVGSVGElement): void {
  for (const text of Array.from(svg.querySelectorAll<SVGTextElement>('text'))) {
    if (text.closest('.tick')) continue;
    const content = text.textContent ?? '';
    const hit = SPELLINGS.find(({ s }) => content.includes(s));
    if (!hit) continue;
    text.dataset.term = hit.t.id;
    text.setAttribute('tabindex', '0');
    text.setAttribute('aria-description', hit.t.definition);
  }
}

/** One tooltip for every [data-term]: shown on hover and focus, next to the term; Escape hides it. */
export function initTermTips(tip: HTMLElement): void {
  const show = (event: Event) => {
    const target = (event.target as Element | null)?.closest?.('[data-term]') as HTMLElement | SVGElement | null;
    const term = target && termOf(target.dataset.term ?? '');
    if (!target || !term) return;
    tip.textContent = `${term.term}: ${term.definition}`;
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    tip.style.left = `${Math.max(4, Math.min(window.innerWidth - tip.offsetWidth - 4, box.left))}px`;
    tip.style.top = `${box.bottom + 6}px`;
  };
  const hide = () => (tip.hidden = true);
  document.addEventListener('mouseover', show);
  document.addEventListener('focusin', show);
  document.addEventListener('mouseout', hide);
  document.addEventListener('focusout', hide);
  document.addEventListener('keydown', (event) => event.key === 'Escape' && hide());
}
