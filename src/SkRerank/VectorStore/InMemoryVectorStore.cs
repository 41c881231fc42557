using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace SkRerank.VectorStore;

/// <summary>
/// A vector store held in process memory. Collections obtained under the same name share their data, and a name holds
/// one record type at a time (as in Semantic Kernel's InMemory connector). See
/// <see cref="InMemoryVectorStoreCollection{TKey, TRecord}"/> for the search semantics.
/// </summary>
public sealed class InMemoryVectorStore : Microsoft.Extensions.VectorData.VectorStore
{
    private readonly ConcurrentDictionary<string, CollectionStorage> _collections = new(StringComparer.Ordinal);
    private readonly VectorStoreMetadata _metadata = new() { VectorStoreSystemName = InMemoryVectorStoreCollection<object, object>.SystemName };
    private readonly IEmbeddingGenerator? _embeddingGenerator;
    private readonly int? _maxDegreeOfParallelism;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">The default embedding generator and scan parallelism; defaults when <see langword="null"/>.</param>
    public InMemoryVectorStore(InMemoryVectorStoreOptions? options = null)
    {
        _embeddingGenerator = options?.EmbeddingGenerator;
        _maxDegreeOfParallelism = options?.MaxDegreeOfParallelism;
    }

    /// <inheritdoc />
    /// <remarks>Returns a new collection object over the store's data for <paramref name="name"/>; it need not exist yet.</remarks>
    /// <exception cref="ArgumentException"><typeparamref name="TRecord"/> is a dictionary: use <see cref="GetDynamicCollection"/>.</exception>
    /// <exception cref="InvalidOperationException">The collection exists with another record or key type.</exception>
    [RequiresUnreferencedCode("The in-memory store compiles accessors for the record type's properties.")]
    [RequiresDynamicCode("The in-memory store compiles accessors for the record type's properties.")]
    public override InMemoryVectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null)
    {
        if (typeof(TRecord) == typeof(Dictionary<string, object?>))
            throw new ArgumentException("Use GetDynamicCollection for Dictionary<string, object?> records.", nameof(TRecord));
        if (_collections.TryGetValue(name, out var existing) && (existing.RecordType != typeof(TRecord) || existing.KeyType != typeof(TKey)))
            throw new InvalidOperationException(
                $"Collection '{name}' already exists with record type '{existing.RecordType.Name}' keyed by '{existing.KeyType.Name}', so it cannot be used with '{typeof(TRecord).Name}' keyed by '{typeof(TKey).Name}'.");
        return Create<TKey, TRecord>(name, definition);
    }

    /// <inheritdoc />
    /// <remarks>Keys are compared with <see cref="object.Equals(object)"/>, so store them with one CLR type.</remarks>
    public override InMemoryVectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Create<object, Dictionary<string, object?>>(name, definition);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var name in _collections.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return name;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_collections.ContainsKey(name));
    }

    /// <inheritdoc />
    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        _collections.TryRemove(name, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Returns the <see cref="VectorStoreMetadata"/> or this store; <see langword="null"/> otherwise or for any non-null key.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    private InMemoryVectorStoreCollection<TKey, TRecord> Create<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition)
        where TKey : notnull
        where TRecord : class =>
        new(_collections, name, new InMemoryCollectionOptions
        {
            Definition = definition,
            EmbeddingGenerator = _embeddingGenerator,
            MaxDegreeOfParallelism = _maxDegreeOfParallelism,
        });
}
