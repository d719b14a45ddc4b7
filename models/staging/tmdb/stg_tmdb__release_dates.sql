-- One row per release of a country of a movie_details row's `release_dates`: TMDB's release type (1 premiere,
-- 2 limited theatrical, 3 theatrical, 4 digital, 5 physical, 6 TV), date, certification ('' is no rating: NULL)
-- and note. `release_country_row_id` links it to its country (stg_tmdb__release_countries).
with

source as (

    {{ source_or_empty('tmdb', 'movie_details__release_dates__results__release_dates', {
        '_dlt_id': 'varchar', '_dlt_parent_id': 'varchar', '_dlt_root_id': 'varchar', '_dlt_list_idx': 'bigint',
        'certification': 'varchar', 'iso_639_1': 'varchar', 'note': 'varchar', 'release_date': 'varchar',
        'type': 'bigint',
    }) }}

),

renamed as (

    select
        _dlt_id as release_row_id,
        _dlt_parent_id as release_country_row_id,
        _dlt_root_id as details_row_id,
        cast(type as integer) as release_type,
        {{ release_type_name('type') }} as release_type_name,
        -- TMDB sends an ISO timestamp at midnight UTC ("2004-11-19T00:00:00.000Z"); the day is what it means
        try_cast(left(trim(release_date), 10) as date) as release_date,
        {{ empty_to_null('certification') }} as certification,
        {{ empty_to_null('note') }} as note,
        lower({{ empty_to_null('iso_639_1') }}) as language_code,
        {{ list_position() }} as release_position

    from source

)

select * from renamed
