{#-
    One row per event: typed, the free text (comment_text, search_query) left in raw. Deduplicated on event_id,
    the earliest received copy (the loader merges on it already; this keeps the grain whatever raw holds).
    Which clock to trust is decided in int_user_events.

    Incremental on DuckDB (a view on Spark): an increment reads only the raw rows of landing files of which raw
    holds more rows than it does (new files, and files that changed and were read again; raw.events carries no
    dlt load id), deduplicates them, and against what it holds: a copy of an event it holds replaces it only if received earlier (delete+insert on event_id). So the
    dedup of a day's increment reads that day's files, not all of raw; int_user_events then reads the rows
    received in its window.
-#}
with

source as {{ cte_not_materialized() }} (

    {{ source_or_empty('events', 'events', {
        'event_id': 'varchar', 'event_type': 'varchar', 'user_id': 'varchar', 'session_id': 'varchar',
        'movie_id': 'bigint', 'rating': 'double', 'client_ts': 'timestamptz', 'received_at': 'timestamptz',
        'device': 'varchar', 'browser': 'varchar', 'country': 'varchar', 'app_version': 'varchar',
        'extra_fields': 'varchar', 'file_name': 'varchar', 'line_number': 'bigint'
    }) }}

),

typed as (

    select
        event_id,
        event_type,
        user_id,
        nullif(trim(session_id), '') as client_session_id,
        movie_id,
        rating,
        {{ utc_timestamp('client_ts') }} as client_ts,
        {{ utc_timestamp('received_at') }} as received_at,
        lower(nullif(trim(device), '')) as device,
        lower(nullif(trim(browser), '')) as browser,
        upper(nullif(trim(country), '')) as country_code,
        nullif(trim(app_version), '') as app_version,
        extra_fields is not null as has_extra_fields,
        file_name,
        line_number

    from source
    {%- if is_incremental() %}
    -- the landing files with rows not held yet: new files, and files the loader read again because they changed
    -- (it reads a file again when its modification time moves, and merges the lines new to it)
    where coalesce(file_name, '') in (
        select raw_files.file_key
        from (
            select coalesce(file_name, '') as file_key, count(*) as line_count from source group by 1
        ) as raw_files
        left join (
            select coalesce(file_name, '') as file_key, count(*) as line_count from {{ this }} group by 1
        ) as held_files on raw_files.file_key = held_files.file_key
        where held_files.line_count is null or raw_files.line_count > held_files.line_count
    )
    {%- endif %}

),
{%- if is_incremental() %}

-- the copies held of the events loaded again: the earliest received stays
held_copies as (

    select * from {{ this }}
    where event_id in (select event_id from typed)

),
{%- endif %}

copies as (

    select * from typed
    {%- if is_incremental() %}
    union all
    select * from held_copies
    {%- endif %}

),

deduplicated as (

    select * from copies
    qualify row_number() over (partition by event_id order by received_at, file_name, line_number) = 1

)

select * from deduplicated
