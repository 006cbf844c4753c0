// The world's countries as SVG paths, computed once: Natural Earth 1:110m shapes (world-atlas)
// on the Equal Earth projection (areas true, so no country looks larger than it is), each named by
// its ISO 3166-1 alpha-3 code (i18n-iso-countries) so the API's answers can colour it.
import { geoEqualEarth, geoPath } from 'd3-geo';
import countryCodes from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json' with { type: 'json' };

export interface Shape {
  /** ISO 3166-1 alpha-3, or undefined for a territory without a code (e.g. N. Cyprus). */
  readonly iso3: string | undefined;
  /** The atlas's name, for a shape the API does not list. */
  readonly name: string;
  /** The SVG path in the map's own units (MAP_WIDTH wide). */
  readonly d: string;
}

export const MAP_WIDTH = 960;
/** Antarctica, left out: no one trains there, and it would take a fifth of the map. */
const ANTARCTICA = '010';

/** The map's geometry: computed on first use, not when the page's code loads (its requests go first). */
export interface Atlas {
  readonly shapes: readonly Shape[];
  /** The map's height for its width, from the shapes' extent. */
  readonly height: number;
}

let atlas: Atlas | undefined;

export function worldAtlas(): Atlas {
  atlas ??= project();
  return atlas;
}

function project(): Atlas {
  const topology = world as unknown as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const features = feature(topology, topology.objects.countries).features.filter(
    (f) => f.id !== ANTARCTICA,
  );
  const collection = { type: 'FeatureCollection' as const, features };
  const path = geoPath(geoEqualEarth().fitWidth(MAP_WIDTH, collection));
  const [[, top], [, bottom]] = path.bounds(collection);
  return {
    height: Math.ceil(bottom - Math.min(top, 0)),
    shapes: features.map((f) => ({
      iso3: f.id === undefined ? undefined : countryCodes.numericToAlpha3(String(f.id)),
      name: f.properties.name,
      d: path(f) ?? '',
    })),
  };
}
