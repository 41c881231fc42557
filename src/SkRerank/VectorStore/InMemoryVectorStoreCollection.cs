using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.Lexical;

namespace SkRerank.VectorStore;

/// <summary>
/// A vector store collection held in process memory, with exact (flat) vector search and BM25 + vector hybrid search.
/// </summary>
/// <remarks>
/// <para>
/// <b>Records.</b> The record model comes from <see cref="VectorStoreCollectionOptions.Definition"/> when given, else
/// from the <see cref="VectorStoreKeyAttribute"/>, <see cref="VectorStoreDataAttribute"/> and
/// <see cref="VectorStoreVectorAttribute"/> attributes. With <typeparamref name="TRecord"/> =
/// <c>Dictionary&lt;string, object?&gt;</c> (and <typeparamref name="TKey"/> = <see cref="object"/>) the collection is
/// dynamic and the definition is required. Vector properties may be <c>ReadOnlyMemory&lt;float&gt;</c>,
/// <c>ReadOnlyMemory&lt;float&gt;?</c>, <c>float[]</c> or <c>Embedding&lt;float&gt;</c>. Only model properties are
/// stored: other properties of a record do not round-trip.
/// </para>
/// <para>
/// <b>Isolation.</b> Upserts store copies (lists and arrays among the data properties are copied too) and every read
/// returns fresh copies, so neither side can change the other's objects. Without
/// <see cref="RecordRetrievalOptions.IncludeVectors"/> returned vector properties are null (or
/// <c>default</c> for <c>ReadOnlyMemory&lt;float&gt;</c>); dynamic records then lack the vector entries.
/// </para>
/// <para>
/// <b>Lifetime</b>, as in Semantic Kernel's InMemory connector: a collection must be created with
/// <see cref="EnsureCollectionExistsAsync"/> before use. Reading, writing or searching a collection that does not exist
/// (never created, or deleted) throws <see cref="VectorStoreException"/>; upserts do not create it. Collection objects
/// obtained from the same <see cref="InMemoryVectorStore"/> under the same name share data.
/// </para>
/// <para>
/// <b>Search.</b> Exact scan over contiguous vectors with a bounded top-k heap. Filters see data and key properties
/// (vector properties are not visible to filters) and keep C# semantics: equality, <c>Contains</c>, <c>&amp;&amp;</c>,
/// <c>||</c> and <c>!</c> over properties marked <c>IsIndexed</c> (and the key) are answered from a payload index, so
/// only matching rows are read; any other filter, or part of one, runs as a compiled LINQ predicate on the stored
/// records before scoring. Scores and ordering follow the property's distance function: similarities (cosine similarity, dot product)
/// rank higher first and <see cref="VectorSearchOptions{TRecord}.ScoreThreshold"/> keeps scores ≥ it; distances
/// (cosine distance, negative dot product, Euclidean, squared Euclidean, Manhattan, Hamming) rank lower first and keep
/// scores ≤ it. Equal scores come back in storage order.
/// </para>
/// <para>
/// <b>Embeddings.</b> Search values may be <c>ReadOnlyMemory&lt;float&gt;</c>, <c>float[]</c>, <c>Embedding&lt;float&gt;</c>
/// or anything an embedding generator accepts (typically <see cref="string"/>). The generator is the vector property's
/// (definition), else the definition's, else the collection options', else the store options' — the order SK's
/// connectors use.
/// </para>
/// <para>Thread-safe: reads run concurrently and see a consistent state; writes are exclusive.</para>
/// </remarks>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TRecord">The record type.</typeparam>
public sealed class InMemoryVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>, IKeywordHybridSearchable<TRecord>
    where TKey : notnull
    where TRecord : class
{
    /// <summary>The <see cref="VectorStoreCollectionMetadata.VectorStoreSystemName"/> of this store.</summary>
    public const string SystemName = "skrerank.inmemory";

    private readonly ConcurrentDictionary<string, CollectionStorage> _registry;
    private readonly RecordModel<TRecord> _model;
    private readonly VectorStoreCollectionMetadata _metadata;
    private readonly int _maxDegreeOfParallelism;
    private readonly int _rrfK;
    private readonly HybridFusionMethod _fusion;
    private readonly double _keywordWeight;

    /// <summary>Creates a standalone collection, with its own storage (not shared with any store).</summary>
    /// <param name="name">The collection name.</param>
    /// <param name="options">Definition, embedding generator and tuning; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The record model is invalid.</exception>
    /// <exception cref="NotSupportedException">A vector type or distance function is not supported.</exception>
    public InMemoryVectorStoreCollection(string name, InMemoryCollectionOptions? options = null)
        : this(new ConcurrentDictionary<string, CollectionStorage>(StringComparer.Ordinal), name, options)
    {
    }

    internal InMemoryVectorStoreCollection(ConcurrentDictionary<string, CollectionStorage> registry, string name, InMemoryCollectionOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= new InMemoryCollectionOptions();
        if (options.MaxDegreeOfParallelism is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be >= 1.");
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReciprocalRankFusionK);

        Name = name;
        _registry = registry;
        _model = RecordModelBuilder.Build<TKey, TRecord>(options.Definition, options.EmbeddingGenerator);
        _maxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;
        _rrfK = options.ReciprocalRankFusionK;
        _fusion = options.HybridFusion;
        _keywordWeight = options.KeywordWeight;
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, CollectionName = name };
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_registry.ContainsKey(Name));
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The name is taken by a collection of another record type or layout.</exception>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var storage = _registry.GetOrAdd(Name, _ => new CollectionStorage<TKey, TRecord>(_model));
        CheckCompatible(storage);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Searches still running on the removed storage finish on it; the lock is left to the garbage collector.
        _registry.TryRemove(Name, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var includeVectors = options?.IncludeVectors == true;
        return Task.FromResult(GetStorage("Get").Read(reader => reader.TryGetRow(key, out var row) ? reader.Materialize(row, includeVectors) : null));
    }

    /// <inheritdoc />
    /// <remarks>Returns the records found, in the order of <paramref name="keys"/>; missing keys are skipped.</remarks>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys,
        RecordRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var storage = GetStorage("Get");
        var keyList = keys.ToList();
        var includeVectors = options?.IncludeVectors == true;
        var found = storage.Read(reader =>
        {
            var records = new List<TRecord>(keyList.Count);
            foreach (var key in keyList)
            {
                ArgumentNullException.ThrowIfNull(key, nameof(keys));
                if (reader.TryGetRow(key, out var row)) records.Add(reader.Materialize(row, includeVectors));
            }
            return records;
        });

        foreach (var record in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without <see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/> the order is storage order. Ordering
    /// compares strings ordinally and puts nulls first (ascending); it is stable.
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
        cancellationToken.ThrowIfCancellationRequested();

        var orderBy = options.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values ?? [];
        var sortKeys = orderBy.Select(o => (Select: CompiledExpressionCache.Get(o.PropertySelector), o.Ascending)).ToList();
        var storage = GetStorage("GetFiltered");
        var results = storage.Read(reader =>
        {
            var rows = reader.Rows(reader.Plan(filter));
            if (sortKeys.Count > 0)
            {
                IOrderedEnumerable<int>? ordered = null;
                foreach (var (select, ascending) in sortKeys)
                {
                    Func<int, object?> key = row => select(reader.StoredRecord(row));
                    ordered = ordered is null
                        ? ascending ? rows.OrderBy(key, OrderKeyComparer.Instance) : rows.OrderByDescending(key, OrderKeyComparer.Instance)
                        : ascending ? ordered.ThenBy(key, OrderKeyComparer.Instance) : ordered.ThenByDescending(key, OrderKeyComparer.Instance);
                }
                rows = ordered!;
            }
            // Materialized here: the rows are valid only while the read lasts.
            return rows.Skip(options.Skip).Take(top).Select(row => reader.Materialize(row, options.IncludeVectors)).ToList();
        });

        foreach (var record in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deletes all keys under one lock; keys that are not stored are ignored.</remarks>
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var keyList = keys.ToList();
        foreach (var key in keyList) ArgumentNullException.ThrowIfNull(key, nameof(keys));
        GetStorage("Delete").Delete(keyList);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// All records are validated (key present, vector lengths equal to the property dimensions) and copied before any is
    /// written, so a bad record leaves the collection unchanged. The batch is written under one lock; with repeated
    /// keys the last record wins. Guid keys marked auto-generated and left empty get a new Guid, written back into the
    /// caller's record.
    /// </remarks>
    /// <exception cref="ArgumentException">A record has no key or a vector of the wrong length.</exception>
    public override Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        var storage = GetStorage("Upsert");

        var prepared = new List<CollectionStorage<TKey, TRecord>.PreparedRecord>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            prepared.Add(Prepare(record));
        }

        storage.Write(prepared);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The search value is not a vector and no embedding generator is configured.</exception>
    /// <exception cref="InvalidOperationException">The configured generator cannot embed values of type <typeparamref name="TInput"/>.</exception>
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

        var field = _model.ResolveVectorField(options.VectorProperty);
        var vectorIndex = IndexOf(field);
        var query = await ToVectorAsync(searchValue, field, cancellationToken).ConfigureAwait(false);
        var prepared = field.Distance.PrepareQuery(query.Span);
        var storage = GetStorage("Search");
        var capacity = (int)Math.Min(int.MaxValue, (long)options.Skip + top);

        var results = storage.Read(reader =>
        {
            var hits = reader.Scan(vectorIndex, prepared, reader.Plan(options.Filter), options.ScoreThreshold, capacity, _maxDegreeOfParallelism);
            return hits.Skip(options.Skip).Select(hit => new VectorSearchResult<TRecord>(reader.Materialize(hit.Row, options.IncludeVectors), hit.Score)).ToList();
        });

        foreach (var result in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }
    }

    /// <summary>
    /// Searches with a vector (or a value to embed) and keywords together. Two rankings are built over the records that
    /// pass the filter: by vector score (all records with a vector, ordered as in
    /// <see cref="SearchAsync{TInput}"/>) and by BM25 over the keywords (records matching at least one keyword). They
    /// are fused as <see cref="InMemoryCollectionOptions.HybridFusion"/> says: Reciprocal Rank Fusion,
    /// <c>Σ 1 / (k + rank)</c> with k = <see cref="InMemoryCollectionOptions.ReciprocalRankFusionK"/> (60), or weighted
    /// z-scores (dense + <see cref="InMemoryCollectionOptions.KeywordWeight"/> × BM25, what the movie search registers);
    /// the result score is the fused score, and <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> keeps fused scores ≥ it.
    /// </summary>
    /// <remarks>
    /// BM25 runs over <see cref="HybridSearchOptions{TRecord}.AdditionalProperty"/> when given (it must be full-text
    /// indexed), else over all full-text-indexed data properties, their scores added. The keyword index is built on the
    /// first hybrid search and kept in sync by later upserts and deletes. Equal fused scores keep vector-ranking order.
    /// Both rankings are complete (not truncated), so fusion is exact.
    /// </remarks>
    /// <typeparam name="TInput">The search value type; see <see cref="SearchAsync{TInput}"/>.</typeparam>
    /// <param name="searchValue">The vector, or the value to embed.</param>
    /// <param name="keywords">The keywords; analyzed (stemmed, stop words removed) like the documents.</param>
    /// <param name="top">How many results to return at most.</param>
    /// <param name="options">Filter, properties, skip, vectors and threshold.</param>
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

        var field = _model.ResolveVectorField(options.VectorProperty);
        var vectorIndex = IndexOf(field);
        string? textField = null;
        if (options.AdditionalProperty is not null) textField = _model.ResolveFullTextField(options.AdditionalProperty).Name;
        else if (!_model.FullTextFields.Any())
            throw new InvalidOperationException($"The record type '{typeof(TRecord).Name}' has no full-text-indexed data property (IsFullTextIndexed = true) for keyword search.");

        var query = await ToVectorAsync(searchValue, field, cancellationToken).ConfigureAwait(false);
        var prepared = field.Distance.PrepareQuery(query.Span);
        var storage = GetStorage("HybridSearch");
        var lexical = storage.EnsureLexicalIndex();
        var keywordText = string.Join(' ', keywords.Where(k => !string.IsNullOrWhiteSpace(k)));

        var results = storage.Read(reader =>
        {
            var all = Math.Max(1, reader.Count);
            var filter = reader.Plan(options.Filter);
            var dense = reader.Scan(vectorIndex, prepared, filter, threshold: null, capacity: all, _maxDegreeOfParallelism);
            IReadOnlyList<LexicalMatch<int>> sparse = keywordText.Length == 0
                ? []
                : lexical.Search(keywordText, all, textField, filter.IsAll ? null : row => reader.Passes(filter, row));

            var fused = _fusion == HybridFusionMethod.WeightedZScore
                ? WeightedZScoreFusion.Fuse(dense, sparse, field.Distance.HigherIsBetter(), _keywordWeight)
                : ReciprocalRankFusion.Fuse([dense.Select(h => h.Row), sparse.Select(m => m.Key)], _rrfK);
            return fused
                .Where(m => options.ScoreThreshold is not { } t || m.Score >= t)
                .Skip(options.Skip)
                .Take(top)
                .Select(match => new VectorSearchResult<TRecord>(reader.Materialize(match.Key, options.IncludeVectors), match.Score))
                .ToList();
        });

        foreach (var result in results)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return result;
        }
    }

    /// <summary>
    /// Builds the keyword (BM25) index of the full-text properties now instead of on the first
    /// <see cref="HybridSearchAsync{TInput}"/>, e.g. during start-up, so that no search pays for analyzing every record.
    /// Later upserts and deletes keep it in sync. Does nothing when it exists already.
    /// </summary>
    /// <exception cref="VectorStoreException">The collection does not exist.</exception>
    public void EnsureKeywordIndex() => GetStorage("EnsureKeywordIndex").EnsureLexicalIndex();

    /// <inheritdoc />
    /// <remarks>
    /// Returns the <see cref="VectorStoreCollectionMetadata"/> (system name <see cref="SystemName"/>) or this
    /// collection for its own types; <see langword="null"/> for anything else or any non-null key.
    /// </remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private CollectionStorage<TKey, TRecord> GetStorage(string operation)
    {
        if (!_registry.TryGetValue(Name, out var storage))
        {
            throw new VectorStoreException($"Collection '{Name}' does not exist; create it with EnsureCollectionExistsAsync first.")
            {
                VectorStoreSystemName = SystemName,
                CollectionName = Name,
                OperationName = operation,
            };
        }
        return CheckCompatible(storage);
    }

    private CollectionStorage<TKey, TRecord> CheckCompatible(CollectionStorage storage)
    {
        if (storage is not CollectionStorage<TKey, TRecord> typed)
            throw new InvalidOperationException(
                $"Collection '{Name}' holds records of type '{storage.RecordType.Name}' keyed by '{storage.KeyType.Name}', not '{typeof(TRecord).Name}' keyed by '{typeof(TKey).Name}'.");
        if (typed.Signature != _model.Signature)
            throw new InvalidOperationException(
                $"Collection '{Name}' was created with another record layout ({typed.Signature}) than this collection object's ({_model.Signature}).");
        return typed;
    }

    private CollectionStorage<TKey, TRecord>.PreparedRecord Prepare(TRecord record)
    {
        var keyValue = _model.GetKey(record);
        if (_model.IsKeyAutoGenerated && keyValue is Guid guid && guid == Guid.Empty)
        {
            keyValue = Guid.NewGuid();
            _model.SetKey(record, keyValue);
        }
        if (keyValue is not TKey key)
            throw new ArgumentException($"A record has no key: its key property '{_model.KeyName}' is {(keyValue is null ? "null" : $"a '{keyValue.GetType().Name}', not a '{typeof(TKey).Name}'")}.");

        var vectors = new ReadOnlyMemory<float>?[_model.VectorFields.Count];
        for (var i = 0; i < vectors.Length; i++)
        {
            var field = _model.VectorFields[i];
            var vector = field.Read(record);
            if (vector is { } v && v.Length != field.Dimensions)
                throw new ArgumentException($"Record '{key}' has a {v.Length}-dimensional vector in '{field.Name}', which expects {field.Dimensions} dimensions.");
            // A non-nullable ReadOnlyMemory<float> left at default means "no vector", like null.
            vectors[i] = vector is { Length: > 0 } ? vector : null;
        }
        return new CollectionStorage<TKey, TRecord>.PreparedRecord(key, _model.CopyKeyAndData(record), vectors);
    }

    private int IndexOf(VectorField<TRecord> field)
    {
        for (var i = 0; i < _model.VectorFields.Count; i++)
        {
            if (ReferenceEquals(_model.VectorFields[i], field)) return i;
        }
        throw new InvalidOperationException($"Vector property '{field.Name}' is not part of the model.");
    }

    private static async ValueTask<ReadOnlyMemory<float>> ToVectorAsync<TInput>(TInput searchValue, VectorField<TRecord> field, CancellationToken cancellationToken)
    {
        if (!VectorValue.TryRead(searchValue, out var vector))
        {
            if (field.EmbeddingGenerator is not IEmbeddingGenerator<TInput, Embedding<float>> generator)
                throw field.EmbeddingGenerator is null
                    ? new NotSupportedException(
                        $"Cannot search with a '{typeof(TInput).Name}': pass {RecordModelBuilder.SupportedVectorTypes.Replace("ReadOnlyMemory<float>?, ", "", StringComparison.Ordinal)}, " +
                        $"or configure an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>> on vector property '{field.Name}', the collection definition, the collection options or the store options.")
                    : new InvalidOperationException(
                        $"The embedding generator '{field.EmbeddingGenerator.GetType().Name}' configured for vector property '{field.Name}' is not an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>>, so it cannot embed the search value.");
            vector = await generator.GenerateVectorAsync(searchValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (vector.Length != field.Dimensions)
            throw new ArgumentException($"The search vector has {vector.Length} dimensions but vector property '{field.Name}' has {field.Dimensions}.", nameof(searchValue));
        return vector;
    }

    /// <summary>Orders sort keys: nulls first, strings ordinally, everything else by <see cref="IComparable"/>.</summary>
    private sealed class OrderKeyComparer : IComparer<object?>
    {
        public static readonly OrderKeyComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => Comparer<object>.Default.Compare(x, y),
        };
    }
}
