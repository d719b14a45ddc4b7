{#-
    The user-event models' incremental window: on an increment, the days from the newest event day the model
    holds minus `events_lookback_days` (3) on, so that events arriving late (up to `events_max_lateness_days`,
    beyond which int_user_events dates them when received) land in the days they belong to. The date comes back
    as a literal (DuckDB prunes on it). Nothing on a full refresh or a first build.

    int_user_events sessionizes only that window (its first build everything); the models downstream of it take
    their own window the same way from their own newest day (`day_expression`: a date expression over their
    columns). Theirs is never later than the one int_user_events rewrote (they hold nothing newer than it held
    before this run), so every key it touched is in their window: they recompute those keys from all of
    int_user_events' rows for them (a superset is harmless: a key's recomputation is the full refresh's).
-#}
{% macro events_window_start(day_expression='event_date') -%}
    {%- set lookback = require_lookback('events_lookback_days', var('events_max_lateness_days') | int) -%}
    {%- if not (is_incremental() and execute) or var('recs_holdout') -%}{{ return(none) }}{%- endif -%}
    {%- set latest = run_query(
        "select cast(max(" ~ day_expression ~ ") as " ~ dbt.type_string() ~ ") from " ~ this
    ).columns[0].values()[0] -%}
    {%- if latest is none -%}{{ return(none) }}{%- endif -%}
    {{ return(modules.datetime.date.fromisoformat(latest[:10]) - modules.datetime.timedelta(days=lookback)) }}
{%- endmacro %}

{% macro event_days_to_reprocess(day_column='event_date') -%}
    {%- set window_start = events_window_start(day_column) -%}
    {%- if window_start is not none %}
    where {{ day_column }} >= date '{{ window_start }}'
    {%- endif -%}
{%- endmacro %}

{#- The keys (a list of columns) of int_user_events' rows dated from `window_start` on, as a relation to join:
    what a keyed model downstream recomputes. (`where`: a further condition on those rows.) -#}
{% macro event_keys_since(window_start, keys, where='true') -%}
    select distinct {{ keys | join(', ') }}
    from {{ ref('int_user_events') }}
    where event_date >= date '{{ window_start }}' and {{ where }}
{%- endmacro %}
