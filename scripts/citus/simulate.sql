-- Stands in for the Citus extension on a plain PostgreSQL, for the test of distribute.sql
-- (test/store/citus-simulation.test.ts): the three functions the script calls, with Citus's
-- signatures, record where each table goes and check what Citus checks when it distributes one;
-- citus_sim.violations() then lists what Citus would refuse across tables. Never run on a
-- database in use: it only records, it moves nothing.
--
-- Citus's rules checked (docs.citusdata.com, "Table management", "Creating and modifying distributed objects"):
-- - a distributed table's distribution column exists and is never null (NOT NULL here);
-- - every primary key, unique constraint, unique index and exclusion constraint of a distributed
--   table includes the distribution column (an exclusion constraint with `=` on it);
-- - a foreign key between distributed tables joins their distribution columns (same position
--   in both column lists) and the two are colocated;
-- - no foreign key from a reference table or a coordinator table to a distributed one, and none
--   from a distributed or reference table to a coordinator table;
-- - every table of the application's schema is placed exactly once.

create schema citus_sim;

create table citus_sim.placement (
  rel regclass primary key,
  kind text not null check (kind in ('distributed', 'reference', 'local')),
  distribution_column text,
  colocation text
);

create function create_distributed_table(
  table_name regclass,
  distribution_column text,
  distribution_type text default 'hash',
  colocate_with text default 'default'
) returns void language plpgsql as $$
declare
  nullable boolean;
begin
  select not a.attnotnull into nullable from pg_attribute a
  where a.attrelid = table_name and a.attname = distribution_column and not a.attisdropped;
  if nullable is null then
    raise exception 'citus: % has no column %', table_name, distribution_column;
  end if;
  if nullable then
    raise exception 'citus: the distribution column %.% may be null', table_name, distribution_column;
  end if;
  insert into citus_sim.placement values (
    table_name, 'distributed', distribution_column,
    case when colocate_with = 'default' then table_name::text else colocate_with end);
end $$;

create function create_reference_table(table_name regclass) returns void language plpgsql as $$
begin
  insert into citus_sim.placement values (table_name, 'reference', null, null);
end $$;

create function citus_add_local_table_to_metadata(
  table_name regclass,
  cascade_via_foreign_keys boolean default false
) returns void language plpgsql as $$
begin
  insert into citus_sim.placement values (table_name, 'local', null, null);
end $$;

/** The colocation group of a distributed table: the table it was colocated with, followed. */
create function citus_sim.group_of(r regclass) returns text language sql stable as $$
  with recursive chain(rel, colocation) as (
    select rel::text, colocation from citus_sim.placement where rel = r
    union
    select p.rel::text, p.colocation from citus_sim.placement p join chain c on p.rel::text = c.colocation
    where c.colocation <> c.rel
  )
  select colocation from chain where colocation = rel limit 1
$$;

create function citus_sim.violations() returns setof text language sql stable as $$
  -- Tables of the schema placed nowhere.
  select format('%s is neither distributed, a reference table nor the coordinator''s', c.oid::regclass)
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and c.oid not in (select rel from citus_sim.placement)
  union all
  -- Uniqueness without the distribution column.
  select format('%s: unique index %s lacks %s', p.rel, i.indexrelid::regclass, p.distribution_column)
  from citus_sim.placement p join pg_index i on i.indrelid = p.rel
  where p.kind = 'distributed' and i.indisunique
    and not exists (select 1 from pg_attribute a where a.attrelid = p.rel and a.attnum = any (i.indkey)
                      and a.attname = p.distribution_column)
  union all
  select format('%s: exclusion constraint %s does not hold %s with =', p.rel, c.conname, p.distribution_column)
  from citus_sim.placement p join pg_constraint c on c.conrelid = p.rel and c.contype = 'x'
  where p.kind = 'distributed'
    and not exists (
      select 1 from unnest(c.conkey, c.conexclop) as k(attnum, op)
      join pg_attribute a on a.attrelid = p.rel and a.attnum = k.attnum
      join pg_operator o on o.oid = k.op
      where a.attname = p.distribution_column and o.oprname = '=')
  union all
  -- Foreign keys Citus refuses.
  select format('%s → %s (%s): %s', c.conrelid::regclass, c.confrelid::regclass, c.conname, why)
  from pg_constraint c
  join citus_sim.placement f on f.rel = c.conrelid
  join citus_sim.placement t on t.rel = c.confrelid
  cross join lateral (
    select case
      when f.kind = 'distributed' and t.kind = 'distributed' then
        case
          when citus_sim.group_of(f.rel) is distinct from citus_sim.group_of(t.rel) then 'the two tables are not colocated'
          when not exists (
            select 1 from unnest(c.conkey, c.confkey) as k(a_from, a_to)
            join pg_attribute af on af.attrelid = c.conrelid and af.attnum = k.a_from
            join pg_attribute at on at.attrelid = c.confrelid and at.attnum = k.a_to
            where af.attname = f.distribution_column and at.attname = t.distribution_column)
            then 'it does not join the distribution columns'
        end
      when f.kind <> 'distributed' and t.kind = 'distributed' then format('a %s table may not refer to a distributed one', f.kind)
      when f.kind in ('distributed', 'reference') and t.kind = 'local' then format('a %s table may not refer to a coordinator table', f.kind)
    end as why
  ) w
  where c.contype = 'f' and w.why is not null
$$;

/**
 * The application's triggers on distributed tables: Citus runs them on each shard only with
 * citus.enable_unsafe_triggers, and a trigger there may not write to a coordinator table
 * (decision 020 says what becomes of each).
 */
create function citus_sim.triggers() returns setof text language sql stable as $$
  select format('%s: %s', t.tgrelid::regclass, t.tgname)
  from pg_trigger t join citus_sim.placement p on p.rel = t.tgrelid
  where p.kind = 'distributed' and not t.tgisinternal
  order by 1
$$;
