using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Npgsql;
using Pgvector.Npgsql;
using SkRerank.Indexing;
using SkRerank.Lexical;
using SkRerank.VectorStore;

namespace SkRerank.Postgres;

/// <summary>
/// A vector store collection in a PostgreSQL table with pgvector: an HNSW index serves vector search, PostgreSQL
/// full-text search the keyword half of hybrid search. Shaped like Semantic Kernel's PgVector connector
/// (<c>PostgresCollection</c>: a data source or connection string, a name, options with the definition, schema and
/// embedding generator), so an application can swap to it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Table.</b> <see cref="EnsureCollectionExistsAsync"/> creates the <c>vector</c> extension when missing, then the
/// table: one column per key and data property (named by its storage name, else its name), a <c>vector(n)</c> column
/// per vector property with an HNSW index on the property's distance function (built by the first upsert, after its
/// rows are written, since building over a bulk load is much faster than growing the graph row by row), a hidden <c>tsvector</c> column with a
/// GIN index per full-text-indexed property, and a B-tree (GIN for arrays) index per <c>IsIndexed</c> property. An
/// existing table is checked instead: a missing column, another dimension or another <see cref="PostgresCollectionOptions.EmbeddingModelId"/>
/// throws a <see cref="PostgresStoreException"/> naming both sides; nothing is dropped.
/// </para>
/// <para>
/// <b>Writes.</b> Upserts are batched (<see cref="PostgresCollectionOptions.UpsertBatchSize"/> records per round
/// trip) and idempotent: <c>INSERT … ON CONFLICT DO UPDATE … WHERE</c> the row differs, so re-upserting unchanged
/// records rewrites nothing (no new row versions, no index churn).
/// </para>
/// <para>
/// <b>Filters</b> are translated to SQL (see <see cref="PostgresFilterTranslator"/>): <c>==</c>, <c>!=</c>,
/// comparisons, bool properties, <c>Contains</c> on arrays and lists, <c>&amp;&amp;</c>, <c>||</c>, <c>!</c>; anything
/// else throws <see cref="NotSupportedException"/> naming the construct. Values always travel as parameters.
/// </para>
/// <para>
/// <b>Hybrid search</b> ranks the filtered rows by vector distance and by <c>ts_rank</c> of the keywords over the
/// full-text columns, and fuses the two rankings exactly as <see cref="InMemoryVectorStoreCollection{TKey, TRecord}"/>
/// does (<see cref="PostgresCollectionOptions.HybridFusion"/>). Both rankings cover every filtered row, so hybrid
/// search reads all of them (vector search alone uses the HNSW index).
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key type: int, long, string or Guid.</typeparam>
/// <typeparam name="TRecord">The record type, a class with a public parameterless constructor.</typeparam>
public sealed class PostgresCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    /// <summary>The <see cref="VectorStoreCollectionMetadata.VectorStoreSystemName"/>, as in SK's connector.</summary>
    public const string SystemName = "postgresql";

    private const string ScoreColumn = "$score";
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresRecordModel _model;
    private readonly PostgresCollectionOptions _options;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly string _table;
    private readonly string _selectColumns;
    private readonly string _endpoint;
    // Set once EnsureCollectionExistsAsync has created the table for, or found it recording, EmbeddingModelId.
    private volatile StoredEmbeddingModel? _storedModel;
    private Version? _vectorVersion;
    // Whether this object has seen the HNSW indexes in place (created by its first upsert, see UpsertCountingAsync).
    private volatile bool _vectorIndexesExist;

    /// <summary>Creates a collection over <paramref name="dataSource"/>, which must map pgvector's type (<c>UseVector()</c>).</summary>
    /// <param name="dataSource">The connections to use.</param>
    /// <param name="name">The table name.</param>
    /// <param name="ownsDataSource">Whether disposing the collection disposes <paramref name="dataSource"/>.</param>
    /// <param name="options">Definition, embedding generator, schema, HNSW and fusion settings.</param>
    /// <exception cref="ArgumentException">The name or record model is invalid.</exception>
    /// <exception cref="NotSupportedException">A property type or distance function is not supported.</exception>
    public PostgresCollection(NpgsqlDataSource dataSource, string name, bool ownsDataSource, PostgresCollectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SqlIdentifier.Validate(name);
        _options = new PostgresCollectionOptions(options ?? new PostgresCollectionOptions());
        SqlIdentifier.Validate(_options.Schema);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.UpsertBatchSize, 1);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        Name = name;
        _model = PostgresRecordModel.Build(typeof(TKey), typeof(TRecord), _options.Definition, _options.EmbeddingGenerator);
        _table = $"{SqlIdentifier.Quote(_options.Schema)}.{SqlIdentifier.Quote(name)}";
        _selectColumns = string.Join(", ", _model.All.Select(p => SqlIdentifier.Quote(p.ColumnName)));
        _endpoint = PostgresConnectionErrors.Endpoint(dataSource);
        _metadata = new VectorStoreCollectionMetadata
        {
            VectorStoreSystemName = SystemName,
            VectorStoreName = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database,
            CollectionName = name,
        };
    }

    /// <summary>Creates a collection with its own data source for <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string, e.g. <c>Host=localhost;Username=postgres;Password=…;Database=movies</c>.</param>
    /// <param name="name">The table name.</param>
    /// <param name="options">Definition, embedding generator, schema, HNSW and fusion settings.</param>
    public PostgresCollection(string connectionString, string name, PostgresCollectionOptions? options = null)
        : this(CreateDataSource(connectionString), name, ownsDataSource: true, options)
    {
    }

    /// <summary>Creates a data source for <paramref name="connectionString"/> that maps pgvector's <c>vector</c> type.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message of a malformed connection string may quote it, password included: say only what is wrong.
            throw new ArgumentException($"The PostgreSQL connection string is malformed ({ex.GetType().Name}); use keywords such as Host=…;Port=…;Username=…;Password=…;Database=….", nameof(connectionString));
        }
        builder.UseVector();
        return builder.Build();
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await TableExistsAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgresStoreException">pgvector is not installed, or the table exists with another layout, dimension or model.</exception>
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await EnsureVectorExtensionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two processes creating the same table at once would collide in the catalog; the lock makes the second one check instead.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [_table], cancellationToken).ConfigureAwait(false);
        string? recordedModel;
        if (await TableExistsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            recordedModel = await CheckExistingTableAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var statement in PostgresTableDefinition.CreateStatements(_model, _options, Name, _table))
                await ExecuteAsync(connection, statement, [], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"COMMENT ON TABLE {_table} IS {PostgresTableDefinition.CommentLiteral(_model, _options)}", [], cancellationToken).ConfigureAwait(false);
            recordedModel = _options.EmbeddingModelId;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (recordedModel is not null && recordedModel == _options.EmbeddingModelId) _storedModel = new StoredEmbeddingModel(recordedModel);
    }

    /// <inheritdoc />
    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {_table}", [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await foreach (var record in GetAsync([key], options, cancellationToken).ConfigureAwait(false)) return record;
        return null;
    }

    /// <inheritdoc />
    /// <remarks>Returns the records found, in the order of <paramref name="keys"/>; missing keys are skipped.</remarks>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys,
        RecordRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = keys.ToList();
        foreach (var key in keyList) ArgumentNullException.ThrowIfNull(key, nameof(keys));
        if (keyList.Count == 0) yield break;
        var includeVectors = options?.IncludeVectors == true;

        var parameters = new SqlParameters();
        var sql = $"SELECT {_selectColumns} FROM {_table} WHERE {Quote(_model.Key)} = ANY({parameters.Add(keyList.ToArray())})";
        var found = new Dictionary<TKey, TRecord>();
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (record, _) in await QueryAsync(connection, sql, parameters, includeVectors, "Get", cancellationToken).ConfigureAwait(false))
                found[(TKey)_model.Key.Read(record)!] = record;
        }
        foreach (var key in keyList)
        {
            if (found.TryGetValue(key, out var record)) yield return record;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without <see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/> records come in key order. Strings order
    /// by code point (<c>COLLATE "C"</c>), nulls first when ascending, as in the in-memory store.
    /// </remarks>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new FilteredRecordRetrievalOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options.Skip));

        var parameters = new SqlParameters();
        var where = new PostgresFilterTranslator(_model, parameters).Translate(filter);
        var orderBy = options.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values ?? [];
        var order = new List<string>();
        foreach (var sort in orderBy)
        {
            var property = _model.FindKeyOrData(MemberName(sort.PropertySelector))
                ?? throw new InvalidOperationException($"'{sort.PropertySelector}' does not name a stored key or data property.");
            var collate = property.SqlType == "text" ? " COLLATE \"C\"" : "";
            order.Add($"{Quote(property)}{collate} {(sort.Ascending ? "ASC NULLS FIRST" : "DESC NULLS LAST")}");
        }
        order.Add(Quote(_model.Key));
        var sql = $"SELECT {_selectColumns} FROM {_table} WHERE {where} ORDER BY {string.Join(", ", order)} " +
                  $"LIMIT {parameters.Add((long)top)} OFFSET {parameters.Add((long)options.Skip)}";
        List<(TRecord Record, double Score)> rows;
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
            rows = await QueryAsync(connection, sql, parameters, options.IncludeVectors, "GetFiltered", cancellationToken).ConfigureAwait(false);
        foreach (var (record, _) in rows) yield return record;
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    public override async Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var keyList = keys.ToList();
        foreach (var key in keyList) ArgumentNullException.ThrowIfNull(key, nameof(keys));
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"DELETE FROM {_table} WHERE {Quote(_model.Key)} = ANY($1)", [keyList.ToArray()], cancellationToken, "Delete").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every record is validated (key present, vector lengths equal to the dimensions) before any is sent; the batches
    /// run in one transaction, so a failure writes nothing. Rows whose stored values already equal the record's are
    /// not rewritten. With repeated keys the last record wins.
    /// </remarks>
    /// <exception cref="ArgumentException">A record has no key or a vector of the wrong length.</exception>
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        _ = await UpsertCountingAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Upserts like <see cref="UpsertAsync(IEnumerable{TRecord}, CancellationToken)"/> and returns how many rows were written (inserted or changed).</summary>
    public async Task<int> UpsertCountingAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var prepared = new Dictionary<object, TRecord>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            prepared[Validate(record)] = record;
        }
        if (prepared.Count == 0) return 0;

        var statement = PostgresTableDefinition.UpsertStatement(_model, _table);
        var written = 0;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in prepared.Values.Chunk(_options.UpsertBatchSize))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var record in chunk)
            {
                var command = new NpgsqlBatchCommand(statement);
                command.Parameters.Add(new NpgsqlParameter { Value = _options.TextSearchConfiguration });
                foreach (var property in _model.All)
                {
                    object? value = property.Kind == PostgresPropertyKind.Vector ? property.ReadVector(record) : property.Read(record);
                    command.Parameters.Add(new NpgsqlParameter { Value = SqlParameters.ToDatabase(value) });
                }
                foreach (var property in _model.FullText)
                    command.Parameters.Add(new NpgsqlParameter { Value = (object?)FullText(property.Read(record)) ?? DBNull.Value });
                batch.BatchCommands.Add(command);
            }
            await RunAsync("Upsert", async () => await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var command in batch.BatchCommands) written += (int)command.RecordsAffected;
        }
        if (!_vectorIndexesExist)
        {
            foreach (var index in PostgresTableDefinition.VectorIndexStatements(_model, _options, Name, _table))
                await ExecuteAsync(connection, index, [], cancellationToken, "CreateIndex").ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _vectorIndexesExist = true;
        return written;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The search value is not a vector and no embedding generator is configured, or the filter cannot be translated.</exception>
    /// <exception cref="ArgumentException">The (embedded) search vector's length differs from the property's dimensions.</exception>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new VectorSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options.Skip));

        var vector = _model.ResolveVector(options.VectorProperty);
        var query = await ToVectorAsync(searchValue, vector, cancellationToken).ConfigureAwait(false);
        var distance = vector.Distance!;
        var parameters = new SqlParameters();
        var queryParameter = parameters.Add(query);
        var operation = $"{Quote(vector)} {distance.Operator} {queryParameter}";
        var score = string.Format(System.Globalization.CultureInfo.InvariantCulture, distance.ScoreSql, operation);
        var where = new StringBuilder($"{Quote(vector)} IS NOT NULL");
        if (options.Filter is not null) where.Append(" AND ").Append(new PostgresFilterTranslator(_model, parameters).Translate(options.Filter));
        if (options.ScoreThreshold is { } threshold)
            where.Append($" AND {score} {(distance.HigherIsBetter ? ">=" : "<=")} {parameters.Add(threshold)}");
        var sql = $"SELECT {_selectColumns}, {score} AS {SqlIdentifier.Quote(ScoreColumn)} FROM {_table} WHERE {where} " +
                  $"ORDER BY {operation}, {Quote(_model.Key)} LIMIT {parameters.Add((long)top)} OFFSET {parameters.Add((long)options.Skip)}";

        List<(TRecord Record, double Score)> rows;
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var settings = await SearchSettingsAsync(connection, top + options.Skip, options.Filter is not null, cancellationToken).ConfigureAwait(false);
            rows = await QueryAsync(connection, sql, parameters, options.IncludeVectors, "Search", cancellationToken, settings).ConfigureAwait(false);
        }
        foreach (var (record, value) in rows) yield return new VectorSearchResult<TRecord>(record, value);
    }

    /// <summary>
    /// Searches with a vector (or a value to embed) and keywords together, fused like
    /// <see cref="InMemoryVectorStoreCollection{TKey, TRecord}.HybridSearchAsync{TInput}"/>: Reciprocal Rank Fusion of
    /// the vector ranking and the keyword ranking (rows matching at least one keyword, by <c>ts_rank</c> summed over
    /// the full-text properties, or over <see cref="HybridSearchOptions{TRecord}.AdditionalProperty"/>), or weighted
    /// z-scores (<see cref="PostgresCollectionOptions.HybridFusion"/>). Both rankings cover every filtered row with a
    /// vector.
    /// </summary>
    /// <typeparam name="TInput">The search value type; see <see cref="SearchAsync{TInput}"/>.</typeparam>
    /// <param name="searchValue">The vector, or the value to embed.</param>
    /// <param name="keywords">The keywords; analyzed with <see cref="PostgresCollectionOptions.TextSearchConfiguration"/>.</param>
    /// <param name="top">How many results to return at most.</param>
    /// <param name="options">Filter, properties, skip, vectors and threshold (on the fused score).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <exception cref="InvalidOperationException">The record has no full-text-indexed property, or the chosen property is not full-text indexed.</exception>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(
        TInput searchValue,
        ICollection<string> keywords,
        int top,
        HybridSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new HybridSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, nameof(options.Skip));

        var vector = _model.ResolveVector(options.VectorProperty);
        IReadOnlyList<PostgresProperty> textProperties = options.AdditionalProperty is not null
            ? [_model.ResolveFullText(options.AdditionalProperty)]
            : _model.FullText.ToList();
        if (textProperties.Count == 0)
            throw new InvalidOperationException($"The record type '{typeof(TRecord).Name}' has no full-text-indexed data property (IsFullTextIndexed = true) for keyword search.");
        var query = await ToVectorAsync(searchValue, vector, cancellationToken).ConfigureAwait(false);
        var distance = vector.Distance!;

        var parameters = new SqlParameters();
        var operation = $"{Quote(vector)} {distance.Operator} {parameters.Add(query)}";
        var score = string.Format(System.Globalization.CultureInfo.InvariantCulture, distance.ScoreSql, operation);
        var words = keywords.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        var from = _table;
        var keywordScore = "0";
        if (words.Count > 0)
        {
            var config = parameters.Add(_options.TextSearchConfiguration, "regconfig");
            // One parameter per keyword, OR-ed: a row matches when it holds any of them.
            var tsQuery = string.Join(" || ", words.Select(w => $"plainto_tsquery({config}, {parameters.Add(w, "text")})"));
            from = $"{_table} CROSS JOIN (SELECT {tsQuery} AS q) AS kw";
            keywordScore = "(" + string.Join(" + ", textProperties.Select(p => SqlIdentifier.Quote(p.TextSearchColumnName)).Select(column =>
                $"CASE WHEN {column} @@ kw.q THEN ts_rank({column}, kw.q) ELSE 0 END")) + ")";
        }
        var where = new StringBuilder($"{Quote(vector)} IS NOT NULL");
        if (options.Filter is not null) where.Append(" AND ").Append(new PostgresFilterTranslator(_model, parameters).Translate(options.Filter));
        var rankSql = $"SELECT {Quote(_model.Key)}, {score} AS s, {keywordScore} AS k FROM {from} WHERE {where} ORDER BY {Quote(_model.Key)}";

        var dense = new List<(double Score, TKey Key)>();
        var sparse = new List<(double Score, TKey Key)>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync("HybridSearch", async () =>
        {
            await using var command = new NpgsqlCommand(rankSql, connection);
            command.Parameters.AddRange(parameters.List.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (TKey)reader.GetValue(0);
                dense.Add((reader.GetDouble(1), key));
                var keyword = Convert.ToDouble(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
                if (keyword > 0) sparse.Add((keyword, key));
            }
            return 0;
        }).ConfigureAwait(false);

        var fused = PostgresHybridFusion.Fuse(dense, sparse, distance.HigherIsBetter, _options.HybridFusion, _options.KeywordWeight, _options.ReciprocalRankFusionK);
        var page = fused.Where(m => options.ScoreThreshold is not { } t || m.Score >= t).Skip(options.Skip).Take(top).ToList();
        if (page.Count == 0) yield break;

        var fetch = new SqlParameters();
        var fetchSql = $"SELECT {_selectColumns} FROM {_table} WHERE {Quote(_model.Key)} = ANY({fetch.Add(page.Select(m => m.Key).ToArray())})";
        var records = (await QueryAsync(connection, fetchSql, fetch, options.IncludeVectors, "HybridSearch", cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => (TKey)_model.Key.Read(r.Record)!, r => r.Record);
        foreach (var match in page)
        {
            // A row deleted between the two reads is left out.
            if (records.TryGetValue(match.Key, out var record)) yield return new VectorSearchResult<TRecord>(record, match.Score);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Returns the <see cref="VectorStoreCollectionMetadata"/>, the <see cref="NpgsqlDataSource"/>, the
    /// <see cref="StoredEmbeddingModel"/> (when <see cref="PostgresCollectionOptions.EmbeddingModelId"/> is set: the
    /// table is checked to hold that model's vectors), or this collection for its own types.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(NpgsqlDataSource) ? _dataSource
            : serviceType == typeof(StoredEmbeddingModel) ? _storedModel
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsDataSource) _dataSource.Dispose();
        base.Dispose(disposing);
    }

    private static string Quote(PostgresProperty property) => SqlIdentifier.Quote(property.ColumnName);

    private static string? FullText(object? value) => value switch
    {
        null => null,
        string text => text,
        System.Collections.IEnumerable items => string.Join(' ', items.Cast<object?>().Where(i => i is not null)),
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    private object Validate(TRecord record)
    {
        var key = _model.Key.Read(record);
        if (key is not TKey)
            throw new ArgumentException($"A record has no key: its key property '{_model.Key.Name}' is {(key is null ? "null" : $"a '{key.GetType().Name}'")}.");
        foreach (var vector in _model.Vectors)
        {
            if (vector.ReadVector(record) is { } v && v.Length != vector.Dimensions)
                throw new ArgumentException($"Record '{key}' has a {v.Length}-dimensional vector in '{vector.Name}', which expects {vector.Dimensions} dimensions.");
        }
        return key;
    }

    private static string MemberName(LambdaExpression selector)
    {
        var body = selector.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } convert) body = convert.Operand;
        return body is MemberExpression member ? member.Member.Name : throw new ArgumentException($"'{selector}' must name a property directly.");
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException
                                   && PostgresConnectionErrors.Describe(_dataSource, ex) is not null)
        {
            throw PostgresConnectionErrors.Describe(_dataSource, ex)!;
        }
    }

    private async Task<bool> TableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task EnsureVectorExtensionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await VectorVersionAsync(connection, cancellationToken).ConfigureAwait(false) is not null) return;
        try
        {
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS vector", [], cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStoreException ex) when (ex.InnerException is PostgresException { SqlState: "0A000" or "58P01" })
        {
            throw new PostgresStoreException(PostgresConnectionErrors.VectorExtensionMissing(_endpoint, connection.PostgreSqlVersion.Major), ex.InnerException);
        }
        catch (VectorStoreException ex) when (ex.InnerException is PostgresException { SqlState: "42501" })
        {
            throw new PostgresStoreException(
                $"the vector extension is installed on {_endpoint} but not enabled in database '{_metadata.VectorStoreName}', and this user may not enable it: " +
                "ask an administrator to run CREATE EXTENSION vector; in that database.", ex.InnerException);
        }
        // The data source read the server's types before 'vector' existed; read them again so vectors map to Pgvector.Vector.
        await connection.ReloadTypesAsync(cancellationToken).ConfigureAwait(false);
        _vectorVersion = null;
    }

    private async Task<Version?> VectorVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_vectorVersion is not null) return _vectorVersion;
        await using var command = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection);
        var text = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        _vectorVersion = text is not null && Version.TryParse(text.Split('-')[0], out var version) ? version : null;
        return _vectorVersion;
    }

    /// <summary>Checks an existing table against the model and returns the embedding model its comment records.</summary>
    private async Task<string?> CheckExistingTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _table });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) columns[reader.GetString(0)] = reader.GetString(1);
        }
        string? comment;
        await using (var command = new NpgsqlCommand("SELECT obj_description(to_regclass($1), 'pg_class')", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _table });
            comment = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        var storedModel = PostgresTableDefinition.ModelOf(comment);
        var where = $"Table {_table} on {_endpoint}";
        const string Advice = "Nothing was changed: use another collection name, or drop the table to re-index it.";

        foreach (var vector in _model.Vectors)
        {
            if (columns.TryGetValue(vector.ColumnName, out var type) && type != vector.SqlType)
                throw new PostgresStoreException(
                    $"{where} holds {Describe(type, storedModel)} in \"{vector.ColumnName}\", but this collection expects {Describe(vector.SqlType, _options.EmbeddingModelId)}. {Advice}");
        }
        if (storedModel is not null && _options.EmbeddingModelId is not null && storedModel != _options.EmbeddingModelId)
        {
            var type = _model.Vectors.Count > 0 ? _model.Vectors[0].SqlType : "";
            throw new PostgresStoreException($"{where} holds {Describe(type, storedModel)}, but this collection expects {Describe(type, _options.EmbeddingModelId)}. {Advice}");
        }
        var missing = _model.All.Select(p => p.ColumnName)
            .Concat(_model.FullText.Select(p => p.TextSearchColumnName))
            .Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
            throw new PostgresStoreException($"{where} has no column {string.Join(", ", missing.Select(c => $"\"{c}\""))} that '{typeof(TRecord).Name}' needs. {Advice}");
        return storedModel;
    }

    private static string Describe(string sqlType, string? model)
    {
        var dimensions = sqlType.StartsWith("vector(", StringComparison.Ordinal) ? sqlType["vector(".Length..^1] + "-dimensional vectors" : sqlType;
        return model is null ? dimensions : $"{dimensions} of {model}";
    }

    private async Task<(int EfSearch, bool Iterative)> SearchSettingsAsync(NpgsqlConnection connection, int wanted, bool filtered, CancellationToken cancellationToken)
    {
        var version = await VectorVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        var efSearch = Math.Min(1000, Math.Max(_options.HnswEfSearch ?? 0, wanted > 40 ? wanted : 0));
        // pgvector 0.8's iterative scan keeps reading the index until enough rows pass the filter.
        return (efSearch, filtered && version is not null && version >= new Version(0, 8));
    }

    private async Task<List<(TRecord Record, double Score)>> QueryAsync(
        NpgsqlConnection connection, string sql, SqlParameters parameters, bool includeVectors, string operation,
        CancellationToken cancellationToken, (int EfSearch, bool Iterative) settings = default)
    {
        return await RunAsync(operation, async () =>
        {
            await using var batch = new NpgsqlBatch(connection);
            // set_config(…, true) lasts for the batch's implicit transaction only, so pooled connections keep the defaults.
            if (settings.EfSearch > 0) batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT set_config('hnsw.ef_search', '{settings.EfSearch}', true)"));
            if (settings.Iterative) batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)"));
            var select = new NpgsqlBatchCommand(sql);
            select.Parameters.AddRange(parameters.List.ToArray());
            batch.BatchCommands.Add(select);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (var skipped = 0; skipped < batch.BatchCommands.Count - 1; skipped++) await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<(TRecord, double)>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = PostgresRecordReader.Read<TRecord>(_model, reader, includeVectors);
                var score = reader.FieldCount > _model.All.Count ? reader.GetDouble(_model.All.Count) : 0;
                rows.Add((record, score));
            }
            return rows;
        }).ConfigureAwait(false);
    }

    private Task ExecuteAsync(NpgsqlConnection connection, string sql, object?[] values, CancellationToken cancellationToken, string operation = "Execute") =>
        RunAsync(operation, async () =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = SqlParameters.ToDatabase(value) });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });

    private async Task<T> RunAsync<T>(string operation, Func<Task<T>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            throw new VectorStoreException($"Collection '{Name}' does not exist; create it with EnsureCollectionExistsAsync first.", ex)
            {
                VectorStoreSystemName = SystemName,
                VectorStoreName = _metadata.VectorStoreName,
                CollectionName = Name,
                OperationName = operation,
            };
        }
        catch (NpgsqlException ex)
        {
            throw PostgresConnectionErrors.Describe(_dataSource, ex) is { } described && ex is not PostgresException
                ? described
                : new VectorStoreException($"PostgreSQL at {_endpoint} failed to {operation} on {_table}: {ex.Message}", ex)
                {
                    VectorStoreSystemName = SystemName,
                    VectorStoreName = _metadata.VectorStoreName,
                    CollectionName = Name,
                    OperationName = operation,
                };
        }
    }

    private static async ValueTask<ReadOnlyMemory<float>> ToVectorAsync<TInput>(TInput searchValue, PostgresProperty property, CancellationToken cancellationToken)
    {
        if (!VectorValue.TryRead(searchValue, out var vector))
        {
            if (property.EmbeddingGenerator is not IEmbeddingGenerator<TInput, Embedding<float>> generator)
                throw property.EmbeddingGenerator is null
                    ? new NotSupportedException(
                        $"Cannot search with a '{typeof(TInput).Name}': pass ReadOnlyMemory<float>, float[] or Embedding<float>, or configure an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>> on vector property '{property.Name}', the definition or the collection options.")
                    : new InvalidOperationException(
                        $"The embedding generator '{property.EmbeddingGenerator.GetType().Name}' configured for vector property '{property.Name}' is not an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>>, so it cannot embed the search value.");
            vector = await generator.GenerateVectorAsync(searchValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        if (vector.Length != property.Dimensions)
            throw new ArgumentException($"The search vector has {vector.Length} dimensions but vector property '{property.Name}' has {property.Dimensions}.", nameof(searchValue));
        return vector;
    }
}
