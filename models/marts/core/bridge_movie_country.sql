with

production_countries as (

    select * from {{ ref('stg_tmdb__production_countries') }}

),

movies as (

    select movie_id, details_row_id from {{ ref('int_movies') }}

),

resolved as (

    select
        movies.movie_id,
        {{ listed_code_or_unknown('production_countries.country_code', ref('stg_tmdb__countries'), 'country_code') }}
            as country_code,
        production_countries.country_code as tmdb_country_code,
        production_countries.country_position

    from production_countries
    inner join movies on production_countries.details_row_id = movies.details_row_id

),

final as (

    select * from resolved
    -- two codes TMDB's list lacks both resolve to the unknown member: one row, the first listed
    {{ first_of_each_in_list('movie_id', 'country_code', 'country_position') }}

)

select * from final
