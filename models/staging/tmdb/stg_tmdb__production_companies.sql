with

source as (

    select * from {{ source('tmdb', 'movie_details__production_companies') }}

),

movies as (

    {{ tmdb_latest_movie_details() }}

),

renamed as (

    select
        movies.movie_id,
        source.id as company_id,
        {{ empty_to_null('source.name') }} as company_name,
        upper({{ empty_to_null('source.origin_country') }}) as company_country_code,
        {{ empty_to_null('source.logo_path') }} as logo_path,
        cast(source._dlt_list_idx + 1 as integer) as company_position,
        movies.details_fetched_on,

    from source
    inner join movies on source._dlt_root_id = movies.details_row_id
    where source.id is not null
    qualify row_number() over (partition by movies.movie_id, source.id order by source._dlt_list_idx) = 1

)

select * from renamed
