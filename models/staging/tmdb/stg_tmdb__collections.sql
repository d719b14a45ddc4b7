with

source as (

    select * from {{ source('tmdb', 'movie_details') }}

),

renamed as (

    select
        belongs_to_collection__id as collection_id,
        {{ empty_to_null('belongs_to_collection__name') }} as collection_name,
        {{ empty_to_null('belongs_to_collection__poster_path') }} as poster_path,
        {{ empty_to_null('belongs_to_collection__backdrop_path') }} as backdrop_path,
        snapshot_date as details_fetched_on

    from source
    where belongs_to_collection__id is not null
    -- a collection is named in every member movie's details: keep the most recently fetched naming
    qualify row_number() over (
        partition by belongs_to_collection__id order by snapshot_date desc, _dlt_load_id desc, id
    ) = 1

)

select * from renamed
