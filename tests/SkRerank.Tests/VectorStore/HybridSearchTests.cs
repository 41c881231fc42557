using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class HybridSearchTests
{
    // Vector ranking for [1, 0] by cosine: a (1.000), b (0.994), c (0.707), d (0.000).
    // Keyword "heist", BM25 over Text, analyzed lengths a 3 (space, opera, starship), b 2 (heist, citi),
    // c 4 (heist ×2, robberi, crew), d 2 (romant, comedi); N = 4, avgdl = 11/4, n(heist) = 2, idf = ln 2:
    //   b: ln2 · 1 · 2.2 / (1 + 1.2 · (0.25 + 0.75 · 2 / 2.75)) = 0.780
    //   c: ln2 · 2 · 2.2 / (2 + 1.2 · (0.25 + 0.75 · 4 / 2.75)) = 0.845   → keyword ranking c, b.
    // RRF (k = 60): a = 1/61, b = 1/62 + 1/62, c = 1/63 + 1/61, d = 1/64 → c (0.0322664) > b (0.0322581) > a > d.
    // PostgreSQL ranks keywords with ts_rank instead of BM25; on these notes both rank c before b (two "heist"s against
    // one) and b before d, so the rank-based expectations below hold on both stores.
    private static async Task<IKeywordHybridSearchable<Note>> NotesAsync(string store = TestStores.Memory, InMemoryCollectionOptions? options = null)
    {
        var collection = store == TestStores.Memory
            ? new InMemoryVectorStoreCollection<string, Note>("notes", options)
            : await TestStores.CreateAsync<string, Note>(store, definition: null);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            new Note { Id = "a", Text = "space opera with starships", Vector = [1, 0, 0] },
            new Note { Id = "b", Text = "a heist in the city", Vector = [0.9f, 0.1f, 0] },
            new Note { Id = "c", Text = "heist heist robbery crew", Vector = [0.5f, 0.5f, 0] },
            new Note { Id = "d", Text = "romantic comedy", Vector = [0, 1, 0] },
        ]);
        return (IKeywordHybridSearchable<Note>)collection;
    }

    private static readonly float[] Query = [1, 0, 0];

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_fuses_vector_and_keyword_ranks_with_reciprocal_rank_fusion(string store)
    {
        var collection = await NotesAsync(store);

        var results = await collection.HybridSearchAsync(Query, ["heist"], 4).ToListAsync();

        Assert.Equal(["c", "b", "a", "d"], results.Select(r => r.Record.Id));
        Assert.Equal(1.0 / 63 + 1.0 / 61, results[0].Score!.Value, 12);
        Assert.Equal(2.0 / 62, results[1].Score!.Value, 12);
        Assert.Equal(1.0 / 61, results[2].Score!.Value, 12);
        Assert.Equal(1.0 / 64, results[3].Score!.Value, 12);
    }

    [Fact]
    public async Task Weighted_z_score_fusion_adds_standardised_dense_and_keyword_scores()
    {
        var collection = await NotesAsync(options: new InMemoryCollectionOptions { HybridFusion = HybridFusionMethod.WeightedZScore, KeywordWeight = 0.5 });

        var results = await collection.HybridSearchAsync(Query, ["heist"], 4).ToListAsync();

        // Dense cosines and the BM25 values worked out in the comment above; non-matching notes score 0.
        double Cos(float x, float y) => x / Math.Sqrt(x * x + y * y);
        var dense = new Dictionary<string, double> { ["a"] = 1, ["b"] = Cos(0.9f, 0.1f), ["c"] = Cos(0.5f, 0.5f), ["d"] = 0 };
        double Bm25(double tf, double length) => Math.Log(2) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / 2.75));
        var keyword = new Dictionary<string, double> { ["a"] = 0, ["b"] = Bm25(1, 2), ["c"] = Bm25(2, 4), ["d"] = 0 };
        static Dictionary<string, double> Z(Dictionary<string, double> s)
        {
            var mean = s.Values.Average();
            var std = Math.Sqrt(s.Values.Sum(v => (v - mean) * (v - mean)) / s.Count);
            return s.ToDictionary(kv => kv.Key, kv => (kv.Value - mean) / std);
        }
        var zd = Z(dense);
        var zk = Z(keyword);
        var expected = dense.Keys.ToDictionary(k => k, k => zd[k] + 0.5 * zk[k]);

        Assert.Equal(expected.OrderByDescending(kv => kv.Value).Select(kv => kv.Key), results.Select(r => r.Record.Id));
        Assert.All(results, r => Assert.Equal(expected[r.Record.Id], r.Score!.Value, 3));
        Assert.Equal("b", results[0].Record.Id); // close to the query and matches the keyword: first, unlike under RRF
    }

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_ranks_within_the_filtered_records(string store)
    {
        var collection = await NotesAsync(store);

        // Without c: vector ranks a, b, d; keyword ranks b → b = 1/62 + 1/61, a = 1/61, d = 1/63.
        var results = await collection.HybridSearchAsync(Query, ["heist"], 4, new HybridSearchOptions<Note> { Filter = n => n.Id != "c" }).ToListAsync();

        Assert.Equal(["b", "a", "d"], results.Select(r => r.Record.Id));
        Assert.Equal(1.0 / 62 + 1.0 / 61, results[0].Score!.Value, 12);
    }

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_applies_skip_and_the_threshold_to_the_fused_score(string store)
    {
        var collection = await NotesAsync(store);

        var skipped = await collection.HybridSearchAsync(Query, ["heist"], 2, new HybridSearchOptions<Note> { Skip = 1 }).ToListAsync();
        var thresholded = await collection.HybridSearchAsync(Query, ["heist"], 4, new HybridSearchOptions<Note> { ScoreThreshold = 0.02 }).ToListAsync();

        Assert.Equal(["b", "a"], skipped.Select(r => r.Record.Id));
        Assert.Equal(["c", "b"], thresholded.Select(r => r.Record.Id));
    }

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_keeps_the_keyword_index_in_step_with_upserts_and_deletes(string store)
    {
        var hybrid = await NotesAsync(store);
        var collection = (VectorStoreCollection<string, Note>)hybrid;
        await hybrid.HybridSearchAsync(Query, ["heist"], 1).ToListAsync(); // builds the keyword index

        await collection.DeleteAsync("c");
        await collection.UpsertAsync(new Note { Id = "d", Text = "romantic heist comedy", Vector = [0, 1, 0] });
        var results = await hybrid.HybridSearchAsync(Query, ["heist"], 4, new HybridSearchOptions<Note> { IncludeVectors = true }).ToListAsync();

        // Vector: a, b, d. Keywords: b (len 2) and d (len 3) each hold "heist" once; b is shorter, so b, d.
        // b = 1/62 + 1/61, a = 1/61, d = 1/63 + 1/62.
        Assert.Equal(["b", "d", "a"], results.Select(r => r.Record.Id));
        Assert.Equal([0f, 1, 0], results[1].Record.Vector!);
    }

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_reads_all_full_text_properties_unless_one_is_chosen(string store)
    {
        var movies = await TestStores.CreateAsync<int, Movie>(store, MovieCollectionDefinition.Create(SampleMovies.Dimensions));
        await movies.UpsertAsync(SampleMovies.Create());
        var collection = (IKeywordHybridSearchable<Movie>)movies;
        var query = new float[] { 0, 0, 0, 1 }; // orthogonal to every movie: the vector ranking is storage order 1..5

        var anyField = await collection.HybridSearchAsync(query, ["Joker"], 1).SingleAsync();
        var titleOnly = await collection.HybridSearchAsync(query, ["Joker"], 1, new HybridSearchOptions<Movie> { AdditionalProperty = m => m.Title }).SingleAsync();

        Assert.Equal(3, anyField.Record.Id);  // "Joker" is in The Dark Knight's overview
        Assert.Equal(1, titleOnly.Record.Id); // no title matches: vector order alone
    }

    [Theory]
    [MemberData(nameof(TestStores.All), MemberType = typeof(TestStores))]
    public async Task Hybrid_search_refuses_a_property_that_is_not_full_text_indexed(string store)
    {
        // A Movie definition whose Director is filterable but not full-text indexed.
        var definition = MovieCollectionDefinition.Create(SampleMovies.Dimensions);
        var director = definition.Properties.OfType<VectorStoreDataProperty>().Single(p => p.Name == nameof(Movie.Director));
        director.IsFullTextIndexed = false;
        var movies = await TestStores.CreateAsync<int, Movie>(store, definition);
        await movies.UpsertAsync(SampleMovies.Create());
        var collection = (IKeywordHybridSearchable<Movie>)movies;

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await collection.HybridSearchAsync(new float[] { 1, 0, 0, 0 }, ["Mann"], 1, new HybridSearchOptions<Movie> { AdditionalProperty = m => m.Director }).ToListAsync());
    }

    [Fact]
    public async Task Hybrid_search_works_on_dynamic_records()
    {
        var definition = MovieCollectionDefinition.Create(SampleMovies.Dimensions);
        var collection = new InMemoryVectorStore().GetDynamicCollection("movies", definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(SampleMovies.Create().Select(m => new Dictionary<string, object?>
        {
            ["Id"] = m.Id,
            ["Title"] = m.Title,
            ["Overview"] = m.Overview,
            ["Director"] = m.Director,
            ["Genres"] = m.Genres,
            ["Tagline"] = m.Tagline,
            ["Embedding"] = m.Embedding,
        }));

        var top = await collection.HybridSearchAsync(new float[] { 0, 0, 0, 1 }, ["dreams"], 1,
            new HybridSearchOptions<Dictionary<string, object?>> { AdditionalProperty = r => r["Overview"] }).SingleAsync();

        Assert.Equal(4, top.Record["Id"]);
    }
}
