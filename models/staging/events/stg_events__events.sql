{#-
    One row per event: typed, the free text (comment_text, search_query) left in raw. Deduplicated on event_id,
    the earliest received copy (the loader merges on it already; this keeps the grain whatever raw holds).
    Which clock to trust is decided in int_user_events.
-#}
with

source as (

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

),

deduplicated as (

    select * from typed
    qualify row_number() over (partition by event_id order by received_at, file_name, line_number) = 1

)

select * from deduplicated
