-- One row per item of a movie_details row's list, linked to that row by `details_row_id` (dlt's _dlt_root_id);
-- int_movies resolves the row to its movie (the latest details of each movie).
with

source as (

    select * from {{ source('tmdb', 'movie_details__production_companies') }}

),

renamed as (

    select
        source._dlt_root_id as details_row_id,
        source.id as company_id,
        {{ empty_to_null('source.name') }} as company_name,
        upper({{ empty_to_null('source.origin_country') }}) as company_country_code,
        {{ empty_to_null('source.logo_path') }} as logo_path,
        {{ list_position('source._dlt_list_idx') }} as company_position

    from source
    where source.id is not null
    {{ first_of_each_in_list('source._dlt_root_id', 'source.id', 'source._dlt_list_idx') }}

)

select * from renamed
