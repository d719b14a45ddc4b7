with

source as (

    select * from {{ source('tmdb', 'movie_details') }}

),

renamed as (

    select
        ----------  ids
        id as movie_id,
        coalesce({{ empty_to_null('imdb_id') }}, {{ empty_to_null('external_ids__imdb_id') }}) as imdb_id,
        {{ empty_to_null('external_ids__wikidata_id') }} as wikidata_id,
        {{ empty_to_null('external_ids__facebook_id') }} as facebook_id,
        {{ empty_to_null('external_ids__instagram_id') }} as instagram_id,
        {{ empty_to_null('external_ids__twitter_id') }} as twitter_id,

        ---------- text
        {{ empty_to_null('title') }} as title,
        {{ empty_to_null('original_title') }} as original_title,
        lower({{ empty_to_null('original_language') }}) as original_language_code,
        {{ empty_to_null('overview') }} as overview,
        {{ empty_to_null('tagline') }} as tagline,
        {{ empty_to_null('status') }} as release_status,
        {{ empty_to_null('homepage') }} as homepage_url,
        {{ empty_to_null('poster_path') }} as poster_path,
        {{ empty_to_null('backdrop_path') }} as backdrop_path,

        ---------- collection (franchise)
        belongs_to_collection__id as collection_id,
        {{ empty_to_null('belongs_to_collection__name') }} as collection_name,

        ---------- numerics: 0 means unknown in TMDB
        {{ zero_to_null('budget') }} as budget_usd,
        {{ zero_to_null('revenue') }} as revenue_usd,
        cast({{ zero_to_null('runtime') }} as integer) as runtime_minutes,
        popularity,
        vote_count,
        case when vote_count > 0 then vote_average end as vote_average,

        ---------- booleans
        coalesce(adult, false) as is_adult,
        coalesce(video, false) as has_video,

        ---------- dates
        {{ tmdb_date('release_date') }} as release_date,
        snapshot_date as details_fetched_on,

        ---------- lineage
        _dlt_id as details_row_id,
        _dlt_load_id as load_id

    from source
    where id is not null
    qualify row_number() over (partition by id order by snapshot_date desc, _dlt_load_id desc) = 1

)

select * from renamed
