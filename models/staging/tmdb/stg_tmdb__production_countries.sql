-- One row per item of a movie_details row's list, linked to that row by `details_row_id` (dlt's _dlt_root_id);
-- int_movies resolves the row to its movie (the latest details of each movie).
with

source as (

    select * from {{ source('tmdb', 'movie_details__production_countries') }}

),

renamed as (

    select
        source._dlt_root_id as details_row_id,
        upper({{ empty_to_null('source.iso_3166_1') }}) as country_code,
        {{ empty_to_null('source.name') }} as country_name,
        cast(source._dlt_list_idx + 1 as integer) as country_position

    from source
    where {{ empty_to_null('source.iso_3166_1') }} is not null
    qualify row_number() over (partition by source._dlt_root_id, upper(trim(source.iso_3166_1)) order by source._dlt_list_idx) = 1

)

select * from renamed
