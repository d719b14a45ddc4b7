{#-
    The user-event models' incremental window: on an increment, the days from the newest event day the model
    holds minus `events_lookback_days` (3) on, so that events arriving late (up to `events_max_lateness_days`,
    beyond which int_user_events dates them when received) land in the days they belong to. The date comes back
    as a literal (DuckDB prunes on it). Nothing on a full refresh or a first build.
-#}
{% macro event_days_to_reprocess(day_column='event_date') -%}
    {%- set lookback = require_lookback('events_lookback_days', var('events_max_lateness_days') | int) -%}
    {%- if is_incremental() and execute -%}
        {%- set latest = run_query("select cast(max(" ~ day_column ~ ") as " ~ dbt.type_string() ~ ") from " ~ this).columns[0].values()[0] -%}
        {%- if latest is not none %}
    where {{ day_column }} >= date '{{ latest }}' - {{ lookback }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
