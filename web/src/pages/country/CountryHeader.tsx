// The country's identity and standing: its codes and legal flags, and every restriction in force
// today with its reliefs. A program a relief covers is shown relieved, never as plainly blocked; a
// relief whose source does not say which programs it covers relieves none, and is shown as such.
import { formatDate, formatUsd } from '../../format.js';
import { Badge } from '../../ui/Badge.js';
import { ScopeNotStated } from '../../ui/ScopeNotStated.js';
import type { CountryDetail, RestrictionInForce } from './api.js';
import { span, words } from './labels.js';

export function CountryHeader({ country }: { readonly country: CountryDetail }) {
  const { flags, flagSources } = country;
  return (
    <section className="country-header" aria-labelledby="country-in-force">
      <div className="country-identity">
        <p className="country-codes">
          <span className="code">{country.iso3}</span> ·{' '}
          <span className="code">{country.iso2}</span>
        </p>
        <ul className="country-flags" aria-label="Legal status">
          <li title={flagSources.natoMember}>
            {flags.natoMember ? <strong>NATO member</strong> : 'Not a NATO member'}
          </li>
          <li title={flagSources.grantImetExcluded}>
            {flags.grantImetExcluded ? (
              <strong>No grant IMET (22 USC 2347e)</strong>
            ) : (
              'Grant IMET not excluded by law'
            )}
          </li>
          <li title={flagSources.fmtReportExcluded}>
            {flags.fmtReportExcluded ? (
              <strong>Left out of the Foreign Military Training report</strong>
            ) : (
              'In the Foreign Military Training report'
            )}
          </li>
          <li>
            Latest IMET:{' '}
            {country.latestImet === null ? (
              'none on record'
            ) : (
              <strong>
                {formatUsd(country.latestImet.cents)} in FY{country.latestImet.fy}
              </strong>
            )}
          </li>
        </ul>
      </div>
      <div className="country-in-force">
        <h2 id="country-in-force">In force today ({formatDate(country.asOf)})</h2>
        {country.restrictionsInForce.length === 0 ? (
          <p className="country-clear">
            <Badge tone="ok">No restriction</Badge> No restriction is in force today.
          </p>
        ) : (
          <ul className="country-restrictions">
            {country.restrictionsInForce.map((r) => (
              <InForce key={r.id} restriction={r} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function InForce({ restriction: r }: { readonly restriction: RestrictionInForce }) {
  const reliefOf = new Map<string, RestrictionInForce['reliefs'][number]>();
  for (const relief of r.reliefs)
    if (relief.scopeStated) for (const p of relief.programs) reliefOf.set(p, relief);
  const unstated = r.reliefs.filter((relief) => !relief.scopeStated);
  return (
    <li className="country-restriction" data-testid={`in-force-${r.id}`}>
      <p className="country-restriction-head">
        <strong>{words(r.kind)} restriction</strong>{' '}
        <span className="country-muted">{span(r)}</span>
      </p>
      <p className="country-basis">{r.basis}</p>
      <p className="country-muted">Authority: {r.authority}</p>
      <ul className="country-programs" aria-label="Programs it covers">
        {r.programs.map((program) => {
          const relief = reliefOf.get(program);
          return (
            <li key={program} data-testid={`program-${program}`}>
              <span className="country-program">{program}</span>{' '}
              {relief === undefined ? (
                <Badge tone="blocked">Blocked</Badge>
              ) : (
                <>
                  <Badge tone="relieved">Relieved</Badge>{' '}
                  <span className="country-muted">
                    by {relief.type} {span(relief)}
                  </span>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {unstated.map((relief) => (
        <p key={relief.id} className="country-muted" data-testid={`unstated-${relief.id}`}>
          Also recorded: a {relief.type} {span(relief)} <ScopeNotStated />, relied on for no
          program.
        </p>
      ))}
    </li>
  );
}
