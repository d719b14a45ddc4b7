with

source as (

    -- dlt creates the child table with the first listing that carries a genre id: see the macro
    {{ source_or_empty('tmdb', 'discover_results__genre_ids', {
        'value': 'bigint',
        '_dlt_parent_id': dbt.type_string(),
        '_dlt_list_idx': 'bigint',
        '_dlt_id': dbt.type_string(),
    }) }}

),

renamed as (

    select
        _dlt_parent_id as discover_row_id,
        value as genre_id,
        {{ list_position() }} as genre_position

    from source
    where value is not null
    {{ first_of_each_in_list('_dlt_parent_id', 'value') }}

)

select * from renamed
