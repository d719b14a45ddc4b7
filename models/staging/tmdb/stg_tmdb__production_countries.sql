with

source as (

    select * from {{ source('tmdb', 'movie_details__production_countries') }}

),

movies as (

    {{ tmdb_latest_movie_details() }}

),

renamed as (

    select
        movies.movie_id,
        upper({{ empty_to_null('source.iso_3166_1') }}) as country_code,
        {{ empty_to_null('source.name') }} as country_name,
        cast(source._dlt_list_idx + 1 as integer) as country_position,
        movies.details_fetched_on,

    from source
    inner join movies on source._dlt_root_id = movies.details_row_id
    where {{ empty_to_null('source.iso_3166_1') }} is not null
    qualify row_number() over (
        partition by movies.movie_id, upper(trim(source.iso_3166_1)) order by source._dlt_list_idx
    ) = 1

)

select * from renamed
