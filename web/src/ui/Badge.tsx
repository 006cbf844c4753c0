// A verdict or status as a coloured label that says it in words too (colour is never the only cue).

export type Tone = 'ok' | 'blocked' | 'relieved' | 'warn' | 'neutral';

export function Badge({ tone, children }: { readonly tone: Tone; readonly children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
