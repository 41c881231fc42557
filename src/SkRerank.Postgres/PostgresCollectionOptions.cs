using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Postgres;

/// <summary>
/// Options of a <see cref="PostgresCollection{TKey, TRecord}"/>: the record <see cref="VectorStoreCollectionOptions.Definition"/>
/// and default <see cref="VectorStoreCollectionOptions.EmbeddingGenerator"/> (as in SK's PgVector connector), the schema,
/// the HNSW parameters, the model the vectors come from, and hybrid search fusion (as in
/// <see cref="InMemoryCollectionOptions"/>).
/// </summary>
public sealed class PostgresCollectionOptions : VectorStoreCollectionOptions
{
    /// <summary>Creates default options.</summary>
    public PostgresCollectionOptions()
    {
    }

    /// <summary>Copies <paramref name="source"/>.</summary>
    public PostgresCollectionOptions(PostgresCollectionOptions source)
        : base(source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Schema = source.Schema;
        EmbeddingModelId = source.EmbeddingModelId;
        HnswM = source.HnswM;
        HnswEfConstruction = source.HnswEfConstruction;
        HnswEfSearch = source.HnswEfSearch;
        TextSearchConfiguration = source.TextSearchConfiguration;
        HybridFusion = source.HybridFusion;
        KeywordWeight = source.KeywordWeight;
        ReciprocalRankFusionK = source.ReciprocalRankFusionK;
        UpsertBatchSize = source.UpsertBatchSize;
    }

    /// <summary>The database schema of the table; <c>public</c> by default.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// The embedding model the stored vectors come from, e.g. <c>snowflake-arctic-embed-xs-int8</c>. Recorded in the
    /// table's comment when it is created; a collection naming another model refuses to use the table (nothing is
    /// dropped), since vectors of two models cannot be compared. <see langword="null"/> records and checks nothing but
    /// the dimensions.
    /// </summary>
    public string? EmbeddingModelId { get; set; }

    /// <summary>HNSW <c>m</c>: links per node. More raises recall and memory; pgvector's default is 16.</summary>
    public int HnswM { get; set; } = 16;

    /// <summary>HNSW <c>ef_construction</c>: candidate list size while building. More raises recall and build time; pgvector's default is 64.</summary>
    public int HnswEfConstruction { get; set; } = 64;

    /// <summary>
    /// HNSW <c>ef_search</c> for this collection's searches: candidate list size while searching. More raises recall and
    /// latency; <see langword="null"/> keeps the server's setting (pgvector's default is 40). A search returns at most
    /// this many rows from the index, so it is raised to the requested top + skip when that is larger.
    /// </summary>
    public int? HnswEfSearch { get; set; }

    /// <summary>The text search configuration that analyzes full-text-indexed properties and keywords; <c>english</c> by default.</summary>
    public string TextSearchConfiguration { get; set; } = "english";

    /// <summary>How hybrid search fuses the dense and keyword rankings; Reciprocal Rank Fusion by default, as in the in-memory store.</summary>
    public HybridFusionMethod HybridFusion { get; set; } = HybridFusionMethod.ReciprocalRank;

    /// <summary>Weight of the keyword z-score against the dense z-score under <see cref="HybridFusionMethod.WeightedZScore"/>.</summary>
    public double KeywordWeight { get; set; } = 0.3;

    /// <summary>The k of Reciprocal Rank Fusion; 60 by default.</summary>
    public int ReciprocalRankFusionK { get; set; } = SkRerank.Lexical.ReciprocalRankFusion.DefaultK;

    /// <summary>How many records one upsert round trip carries; 500 by default.</summary>
    public int UpsertBatchSize { get; set; } = 500;
}
