with

source as (

    select * from {{ source('tmdb', 'discover_results') }}

),

renamed as (

    select
        id as movie_id,
        snapshot_date,
        {{ empty_to_null('title') }} as title,
        {{ empty_to_null('original_title') }} as original_title,
        lower({{ empty_to_null('original_language') }}) as original_language_code,
        {{ empty_to_null('overview') }} as overview,
        {{ tmdb_date('release_date') }} as release_date,
        popularity,
        vote_count,
        case when vote_count > 0 then vote_average end as vote_average,
        coalesce(adult, false) as is_adult,
        coalesce(video, false) as has_video,
        {{ empty_to_null('poster_path') }} as poster_path,
        {{ empty_to_null('backdrop_path') }} as backdrop_path,
        _dlt_id as discover_row_id,
        _dlt_load_id as load_id

    from source
    where id is not null and snapshot_date is not null
    qualify row_number() over (partition by id, snapshot_date order by _dlt_load_id desc) = 1

)

select * from renamed
