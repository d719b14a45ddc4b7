with

source as (

    select * from {{ source('tmdb', 'movie_details__keywords__keywords') }}

),

movies as (

    {{ tmdb_latest_movie_details() }}

),

renamed as (

    select
        movies.movie_id,
        source.id as keyword_id,
        lower({{ empty_to_null('source.name') }}) as keyword_name,
        cast(source._dlt_list_idx + 1 as integer) as keyword_position,
        movies.details_fetched_on,

    from source
    inner join movies on source._dlt_root_id = movies.details_row_id
    where source.id is not null
    qualify row_number() over (partition by movies.movie_id, source.id order by source._dlt_list_idx) = 1

)

select * from renamed
