{#-
    Engine-specific expressions, one macro each, so that a model runs unchanged on DuckDB and on Spark
    (README, "Writing a portable model"). `default__` is DuckDB's SQL (what the models always ran), `spark__`
    the Spark SQL (dbt-spark; Databricks inherits it). Use dbt's own cross-database macros first (dbt.datediff,
    dbt.dateadd, dbt.type_string, ...); add one here only for what they do not cover.
-#}

{#- `value` of each row of the group as a list, in `order_by` order (NULL values kept). -#}
{% macro ordered_list(value, order_by) -%}
    {{ return(adapter.dispatch('ordered_list')(value, order_by)) }}
{%- endmacro %}

{% macro default__ordered_list(value, order_by) -%}
    list({{ value }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_list(value, order_by) -%}
    transform(
        array_sort(collect_list(struct({{ order_by }} as sort_key, {{ value }} as item_value))),
        item -> item.item_value
    )
{%- endmacro %}

{#- The group's first non-NULL `value` in `order_by` order (NULL keys last, as DuckDB orders); ties: any of them. -#}
{% macro first_by(value, order_by) -%}
    {{ return(adapter.dispatch('first_by')(value, order_by)) }}
{%- endmacro %}

{% macro default__first_by(value, order_by) -%}
    any_value({{ value }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__first_by(value, order_by) -%}
    try_element_at(
        array_sort(collect_list(
            case when {{ value }} is not null
                then struct({{ order_by }} is null as key_is_null, {{ order_by }} as sort_key, {{ value }} as item_value)
            end
        )),
        1
    ).item_value
{%- endmacro %}

{#- An empty list, e.g. the default of a list column. -#}
{% macro empty_list() -%}
    {{ return(adapter.dispatch('empty_list')()) }}
{%- endmacro %}

{% macro default__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    array()
{%- endmacro %}

{#- `arg` at the row of the group's largest (arg_max) or smallest (arg_min) `val`, over the rows where neither is
    NULL (DuckDB's arg_max / arg_min semantics; Spark's max_by / min_by would return a NULL `arg`). -#}
{% macro arg_max(arg, val) -%}
    {{ return(adapter.dispatch('arg_max')(arg, val)) }}
{%- endmacro %}

{% macro default__arg_max(arg, val) -%}
    arg_max({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_max(arg, val) -%}
    max_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
{%- endmacro %}

{% macro arg_min(arg, val) -%}
    {{ return(adapter.dispatch('arg_min')(arg, val)) }}
{%- endmacro %}

{% macro default__arg_min(arg, val) -%}
    arg_min({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_min(arg, val) -%}
    min_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
{%- endmacro %}

{#- One row per day from `first_day` to `last_day`, as dates: a set-returning expression, alone in its select. -#}
{% macro day_series(first_day, last_day) -%}
    {{ return(adapter.dispatch('day_series')(first_day, last_day)) }}
{%- endmacro %}

{% macro default__day_series(first_day, last_day) -%}
    cast(unnest(generate_series({{ first_day }}, {{ last_day }}, interval 1 day)) as date)
{%- endmacro %}

{% macro spark__day_series(first_day, last_day) -%}
    explode(sequence({{ first_day }}, {{ last_day }}, interval 1 day))
{%- endmacro %}

{#- A date or timestamp as text in a strftime `format` (only %Y %m %d %B %A %H %M %S %f: translated to Spark's
    datetime patterns, other letters quoted as literals; %f is the microseconds, 6 digits). -#}
{% macro format_date(date, format) -%}
    {{ return(adapter.dispatch('format_date')(date, format)) }}
{%- endmacro %}

{% macro default__format_date(date, format) -%}
    strftime({{ date }}, '{{ format }}')
{%- endmacro %}

{% macro spark__format_date(date, format) -%}
    {%- set codes = {'Y': 'yyyy', 'm': 'MM', 'd': 'dd', 'B': 'MMMM', 'A': 'EEEE', 'H': 'HH', 'M': 'mm', 'S': 'ss',
        'f': 'SSSSSS'} -%}
    {%- set parts = format.split('%') -%}
    {%- set pattern = [] -%}
    {%- for part in parts -%}
        {%- set text = part if loop.first else part[1:] -%}
        {%- if not loop.first -%}
            {%- if part[:1] not in codes -%}
                {{ exceptions.raise_compiler_error("format_date: no Spark pattern for %" ~ part[:1] ~ " in " ~ format) }}
            {%- endif -%}
            {%- do pattern.append(codes[part[:1]]) -%}
        {%- endif -%}
        {#- a letter outside a code is a literal for Spark only when quoted (the T of an ISO timestamp) -#}
        {%- for char in text -%}
            {%- do pattern.append("\\'" ~ char ~ "\\'" if char.isalpha() else char) -%}
        {%- endfor -%}
    {%- endfor -%}
    date_format({{ date }}, '{{ pattern | join('') }}')
{%- endmacro %}

{#- An ISO 8601 text (TMDB's `2023-04-10T12:34:56.789Z`) as a timestamp without time zone, in UTC; NULL when it does
    not parse. DuckDB's cast applies the offset and gives a naive timestamp; Spark's gives an instant, shown in the
    session time zone (UTC in profiles.yml), whose timestamp_ntz keeps that wall clock. -#}
{% macro iso_utc_timestamp(text) -%}
    {{ return(adapter.dispatch('iso_utc_timestamp')(text)) }}
{%- endmacro %}

{% macro default__iso_utc_timestamp(text) -%}
    try_cast({{ text }} as timestamp)
{%- endmacro %}

{% macro spark__iso_utc_timestamp(text) -%}
    cast(try_cast({{ text }} as timestamp) as timestamp_ntz)
{%- endmacro %}

{#- A timestamp with time zone (dlt's timestamps) as a timestamp without one, in UTC. On Spark a timestamp is an
    instant shown in the session time zone (UTC in profiles.yml): timestamp_ntz keeps the same wall clock. -#}
{% macro utc_timestamp(value) -%}
    {{ return(adapter.dispatch('utc_timestamp')(value)) }}
{%- endmacro %}

{% macro default__utc_timestamp(value) -%}
    cast({{ value }} at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro spark__utc_timestamp(value) -%}
    cast({{ value }} as timestamp_ntz)
{%- endmacro %}

{#- The `fraction` quantile of `value`, interpolated between the two nearest values (an aggregate, or a window
    function over a frame). -#}
{% macro quantile_cont(value, fraction) -%}
    {{ return(adapter.dispatch('quantile_cont')(value, fraction)) }}
{%- endmacro %}

{% macro default__quantile_cont(value, fraction) -%}
    quantile_cont({{ value }}, {{ fraction }})
{%- endmacro %}

{% macro spark__quantile_cont(value, fraction) -%}
    percentile({{ value }}, {{ fraction }})
{%- endmacro %}

{#- A DuckDB type name as the engine spells it (the columns of an empty relation, macro source_or_empty). -#}
{% macro portable_type(name) -%}
    {{ return(adapter.dispatch('portable_type')(name)) }}
{%- endmacro %}

{% macro default__portable_type(name) -%}
    {{ return(name) }}
{%- endmacro %}

{% macro spark__portable_type(name) -%}
    {{ return({'varchar': 'string', 'timestamptz': 'timestamp'}.get(name | lower, name)) }}
{%- endmacro %}

{#- dbt-spark's dateadd goes through unix seconds, which drops a timestamp's fraction of a second (a 30-minute
    session gap would then compare whole seconds): Spark's own timestampadd keeps the microseconds. dbt looks for
    a global macro's implementation in the root project first, so this one serves dbt.dateadd on Spark. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- ISO 8601 parts of a date: the ISO year, week of year (1-53) and day of week (Monday 1 .. Sunday 7). -#}
{% macro iso_date_part(part, date) -%}
    {%- if part not in ('year', 'week', 'day_of_week') -%}
        {{ exceptions.raise_compiler_error("iso_date_part: part must be year, week or day_of_week, not " ~ part) }}
    {%- endif -%}
    {{ return(adapter.dispatch('iso_date_part')(part, date)) }}
{%- endmacro %}

{% macro default__iso_date_part(part, date) -%}
    {{ {'year': 'isoyear', 'week': 'week', 'day_of_week': 'isodow'}[part] }}({{ date }})
{%- endmacro %}

{% macro spark__iso_date_part(part, date) -%}
    extract({{ {'year': 'yearofweek', 'week': 'week', 'day_of_week': 'dayofweek_iso'}[part] }} from {{ date }})
{%- endmacro %}

{#- `value` is a finite number (neither infinite nor NaN). -#}
{% macro is_finite(value) -%}
    {{ return(adapter.dispatch('is_finite')(value)) }}
{%- endmacro %}

{% macro default__is_finite(value) -%}
    isfinite({{ value }})
{%- endmacro %}

{% macro spark__is_finite(value) -%}
    (not isnan({{ value }}) and abs({{ value }}) < double('infinity'))
{%- endmacro %}

{#- A CTE read more than once that the engine must not materialize: DuckDB (1.1 on) materializes such a CTE in
    full before reading it, which for `select * from` a large table copies the table (stg_events__events' raw
    events, read twice in an increment: 70 s of 74 at 100M events, README "Benchmarks"). `with x as {{
    cte_not_materialized() }} (...)`; nothing on Spark, which inlines CTEs. -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}
