using Microsoft.Extensions.VectorData;
using SkRerank.Postgres;
using SkRerank.Tests.Support;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

/// <summary>The stores the shared behaviour tests run on.</summary>
public static class TestStores
{
    public const string Memory = "memory";
    public const string Postgres = "postgres";

    public static TheoryData<string> All => [Memory, Postgres];

    private static readonly Lazy<Npgsql.NpgsqlDataSource> SharedDataSource = new(() => PostgresCollection<int, object>.CreateDataSource(PgliteServer.Shared.ConnectionString));

    /// <summary>One connection pool for all tests: PGlite serves a few connections only.</summary>
    public static Npgsql.NpgsqlDataSource DataSource => SharedDataSource.Value;

    /// <summary>A new, created table of its own on the shared PGlite server.</summary>
    public static async Task<VectorStoreCollection<TKey, TRecord>> PostgresAsync<TKey, TRecord>(
        VectorStoreCollectionDefinition? definition, PostgresCollectionOptions? options = null)
        where TKey : notnull
        where TRecord : class
    {
        var collection = new PostgresCollection<TKey, TRecord>(DataSource, PgliteServer.UniqueName(typeof(TRecord).Name.ToLowerInvariant()), ownsDataSource: false,
            new PostgresCollectionOptions(options ?? new PostgresCollectionOptions()) { Definition = definition });
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    /// <summary>A new, created collection of <paramref name="store"/>.</summary>
    public static async Task<VectorStoreCollection<TKey, TRecord>> CreateAsync<TKey, TRecord>(
        string store, VectorStoreCollectionDefinition? definition, HybridFusionMethod fusion = HybridFusionMethod.ReciprocalRank, double keywordWeight = 0.3)
        where TKey : notnull
        where TRecord : class
    {
        if (store == Postgres)
            return await PostgresAsync<TKey, TRecord>(definition, new PostgresCollectionOptions { HybridFusion = fusion, KeywordWeight = keywordWeight });
        var collection = new InMemoryVectorStoreCollection<TKey, TRecord>("test", new InMemoryCollectionOptions { Definition = definition, HybridFusion = fusion, KeywordWeight = keywordWeight });
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }
}
