-- One row per credit of a movie_details row, the cast and the crew in one table: the columns only one list has
-- (character and order for the cast, department and job for the crew) are NULL on the other's rows.
with

cast_source as (

    select * from {{ source('tmdb', 'movie_details__credits__cast') }}

),

crew_source as (

    select * from {{ source('tmdb', 'movie_details__credits__crew') }}

),

unioned as (

    -- the two lists side by side, each with NULL for the columns only the other has
    select
        'cast' as credit_type,
        credit_id, _dlt_root_id, _dlt_list_idx, id, name, gender, known_for_department, popularity, profile_path,
        {{ adapter.quote('character') }} as character_name,
        {{ adapter.quote('order') }} as cast_order,
        cast(null as {{ dbt.type_string() }}) as department,
        cast(null as {{ dbt.type_string() }}) as job
    from cast_source
    union all
    select
        'crew' as credit_type,
        credit_id, _dlt_root_id, _dlt_list_idx, id, name, gender, known_for_department, popularity, profile_path,
        cast(null as {{ dbt.type_string() }}) as character_name,
        cast(null as bigint) as cast_order,
        department,
        job
    from crew_source

),

renamed as (

    select
        {{ empty_to_null('credit_id') }} as credit_id,
        _dlt_root_id as details_row_id,
        credit_type,
        id as person_id,
        {{ empty_to_null('name') }} as person_name,
        cast(gender as integer) as gender_code,
        {{ empty_to_null('known_for_department') }} as known_for_department,
        popularity as person_popularity,
        {{ empty_to_null('profile_path') }} as profile_path,
        {{ empty_to_null('character_name') }} as character_name,
        cast(cast_order as integer) as cast_order,
        {{ empty_to_null('department') }} as department,
        {{ empty_to_null('job') }} as job,
        _dlt_list_idx as list_position

    from unioned

),

final as (

    -- one row per credit of a details row; int_movie_credits resolves the row to its movie (latest details)
    select * from renamed
    where person_id is not null and credit_id is not null
    qualify row_number() over (partition by details_row_id, credit_id order by list_position) = 1

)

select * from final
