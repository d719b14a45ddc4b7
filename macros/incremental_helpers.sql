{#-
    Helpers for the incremental models. They run queries at execution time (`execute`), so the values come
    back into the compiled SQL as literals: DuckDB prunes row groups on literal filters (zone maps), which
    keeps a day's increment from scanning the whole history.

    The watermark is dlt's `_dlt_load_id`, the load that last wrote a raw row (re-running an ingestion day
    gives its rows a new one). It is a unix timestamp as text ('1795240316.765949'); the models store it as
    a number (decimal(18, 7), see load_id_number), whose max() DuckDB answers from column statistics instead
    of scanning the history. A model's input rows loaded after the largest load it holds are new, and the
    days they belong to are (re)computed. The watermark comes back as text with 7 decimals: as the integer
    part has 10 digits (until 2286), text order is numeric order for raw `_dlt_load_id` values too, and a raw
    id equal to the watermark ('...765949' vs '...7659490') compares as not greater.
-#}

{#- A dlt load id (text) as the number the models store. -#}
{% macro load_id_number(column) -%}
    cast({{ column }} as decimal(18, 7))
{%- endmacro %}

{#- The largest value of the numeric load id `column` in this model's table, as text (none when empty). -#}
{% macro incremental_watermark(column) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query("select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ this) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{#- The filter "loaded after the watermark", on a text (raw) or numeric (model) load id column. -#}
{% macro loaded_after(load_column, watermark, numeric) -%}
    {%- if watermark is none -%}
        true
    {%- elif numeric -%}
        {{ load_column }} > cast('{{ watermark }}' as decimal(18, 7))
    {%- else -%}
        {{ load_column }} > '{{ watermark }}'
    {%- endif -%}
{%- endmacro %}

{#- The distinct values of `day_column` among the rows of `relation` loaded after the watermark, sorted. -#}
{% macro days_loaded_after(relation, load_column, day_column, watermark, numeric=false) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set sql -%}
        select distinct {{ day_column }} from {{ relation }}
        where {{ loaded_after(load_column, watermark, numeric) }}
        order by 1
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro %}

{#- The earliest `day_column` among the rows of `relation` loaded after the watermark (none when none). -#}
{% macro first_day_loaded_after(relation, load_column, day_column, watermark, numeric=false) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set sql -%}
        select min({{ day_column }}) from {{ relation }}
        where {{ loaded_after(load_column, watermark, numeric) }}
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values()[0]) }}
{%- endmacro %}

{#- All distinct values of `day_column` in `relation`, sorted (a scan of one date column). -#}
{% macro all_days(relation, day_column) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set sql -%}
        select distinct {{ day_column }} from {{ relation }} order by 1
    {%- endset -%}
    {{ return(run_query(sql).columns[0].values() | list) }}
{%- endmacro %}

{#- `days` (sorted dates) cut into runs of consecutive calendar days, each of at most `size` days, as
    (first, last) pairs: `snapshot_date between first and last` then selects exactly those days. (A range,
    not an IN list: DuckDB pushes a range through staging's deduplication into the scan, and runs the
    deduplication of a range of days in bounded memory.) -#}
{% macro day_chunks(days, size) -%}
    {%- set chunks = [] -%}
    {%- set state = {'first': none, 'last': none, 'count': 0} -%}
    {%- for day in days -%}
        {%- if state.first is none -%}
            {%- do state.update({'first': day, 'last': day, 'count': 1}) -%}
        {%- elif (day - state.last).days == 1 and state.count < size -%}
            {%- do state.update({'last': day, 'count': state.count + 1}) -%}
        {%- else -%}
            {%- do chunks.append((state.first, state.last)) -%}
            {%- do state.update({'first': day, 'last': day, 'count': 1}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.first is not none -%}{%- do chunks.append((state.first, state.last)) -%}{%- endif -%}
    {{ return(chunks) }}
{%- endmacro %}

{#-
    The first day a mart over fct_movie_status_daily recomputes: the earliest fact day loaded after the
    newest load the mart holds (none on a full refresh, and none when nothing is new). Shared by
    popularity_momentum_daily and movie_virality_daily.
-#}
{% macro first_status_day_to_recompute() -%}
    {%- if not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set watermark = incremental_watermark('source_load_id') -%}
    {{ return(first_day_loaded_after(ref('fct_movie_status_daily'), 'load_id', 'snapshot_date', watermark, numeric=true)) }}
{%- endmacro %}

{#-
    The daily rows such a mart reads (a WHERE clause on `day_column`): all of them on a full refresh; on an
    increment, the days from `first_day` on plus `lookback_days` before them (no rows when nothing is new).
-#}
{% macro days_to_read(first_day, lookback_days, day_column='snapshot_date') -%}
    {%- if is_incremental() %}
    where {% if first_day is none %}false{% else %}{{ day_column }} >= date '{{ first_day }}' - {{ lookback_days }}{% endif %}
    {%- endif %}
{%- endmacro %}
