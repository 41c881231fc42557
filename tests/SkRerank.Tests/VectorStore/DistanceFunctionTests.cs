using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class DistanceFunctionTests
{
    private static async Task<InMemoryVectorStoreCollection<object, Dictionary<string, object?>>> PointsAsync(string distanceFunction, params (string Key, float[] Vector)[] points)
    {
        var dimensions = points[0].Vector.Length;
        var collection = new InMemoryVectorStore().GetDynamicCollection("points", new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Key", typeof(string)),
                new VectorStoreVectorProperty("Vector", typeof(float[]), dimensions) { DistanceFunction = distanceFunction },
            ],
        });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(points.Select(p => new Dictionary<string, object?> { ["Key"] = p.Key, ["Vector"] = p.Vector }));
        return collection;
    }

    // Query q = [1, 2, 2] (|q| = 3); a = [2, 0, 1] (|a| = √5); b = [0, 3, 5] (|b| = √34).
    // q·a = 4, q·b = 16; q − a = [−1, 2, 1], q − b = [1, −1, −3].
    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, "b", 0.914659, "a", 0.596285)]   // 16 / (3√34), 4 / (3√5)
    [InlineData(DistanceFunction.CosineDistance, "b", 0.085341, "a", 0.403715)]     // 1 − the above
    [InlineData(DistanceFunction.DotProductSimilarity, "b", 16.0, "a", 4.0)]
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, "b", -16.0, "a", -4.0)]
    [InlineData(DistanceFunction.EuclideanDistance, "a", 2.449490, "b", 3.316625)]  // √6, √11
    [InlineData(DistanceFunction.EuclideanSquaredDistance, "a", 6.0, "b", 11.0)]
    [InlineData(DistanceFunction.ManhattanDistance, "a", 4.0, "b", 5.0)]            // 1+2+1, 1+1+3
    public async Task Each_distance_function_scores_and_orders_as_computed_by_hand(string distanceFunction, string first, double firstScore, string second, double secondScore)
    {
        var collection = await PointsAsync(distanceFunction, ("a", [2, 0, 1]), ("b", [0, 3, 5]));

        var results = await collection.SearchAsync(new float[] { 1, 2, 2 }, 2).ToListAsync();

        Assert.Equal([first, second], results.Select(r => (string)r.Record["Key"]!));
        Assert.Equal(firstScore, results[0].Score!.Value, 5);
        Assert.Equal(secondScore, results[1].Score!.Value, 5);
    }

    [Fact]
    public async Task Hamming_distance_counts_differing_components_and_ranks_fewer_first()
    {
        var collection = await PointsAsync(DistanceFunction.HammingDistance, ("far", [0, 1, 0, 1]), ("near", [1, 0, 0, 1]));

        var results = await collection.SearchAsync(new float[] { 1, 0, 1, 1 }, 2).ToListAsync();

        Assert.Equal(["near", "far"], results.Select(r => (string)r.Record["Key"]!));
        Assert.Equal([1.0, 3.0], results.Select(r => r.Score!.Value));
    }

    [Theory]
    [InlineData(DistanceFunction.CosineSimilarity, 0.9, "b")]             // keeps scores ≥ 0.9: b (0.915), not a (0.596)
    [InlineData(DistanceFunction.DotProductSimilarity, 10.0, "b")]        // keeps ≥ 10: b (16)
    [InlineData(DistanceFunction.CosineDistance, 0.1, "b")]               // keeps ≤ 0.1: b (0.085)
    [InlineData(DistanceFunction.NegativeDotProductSimilarity, -10.0, "b")] // keeps ≤ −10: b (−16)
    [InlineData(DistanceFunction.EuclideanDistance, 3.0, "a")]            // keeps ≤ 3: a (2.449), not b (3.317)
    [InlineData(DistanceFunction.ManhattanDistance, 4.0, "a")]            // keeps ≤ 4: a (4), inclusive
    public async Task The_score_threshold_keeps_only_good_enough_scores_in_the_functions_direction(string distanceFunction, double threshold, string kept)
    {
        var collection = await PointsAsync(distanceFunction, ("a", [2, 0, 1]), ("b", [0, 3, 5]));

        var results = await collection.SearchAsync(new float[] { 1, 2, 2 }, 10, new VectorSearchOptions<Dictionary<string, object?>> { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal([kept], results.Select(r => (string)r.Record["Key"]!));
    }

    [Fact]
    public async Task Cosine_similarity_ignores_vector_length()
    {
        var collection = await PointsAsync(DistanceFunction.CosineSimilarity, ("short", [1, 1]), ("long", [100, 100]), ("other", [1, 0]));

        var results = await collection.SearchAsync(new float[] { 3, 3 }, 3).ToListAsync();

        Assert.Equal(1.0, results[0].Score!.Value, 6);
        Assert.Equal(1.0, results[1].Score!.Value, 6);
        Assert.Equal("other", results[2].Record["Key"]);
    }

    [Fact]
    public async Task A_zero_query_scores_zero_under_cosine_instead_of_not_a_number()
    {
        var collection = await PointsAsync(DistanceFunction.CosineSimilarity, ("a", [1, 0]));

        var result = await collection.SearchAsync(new float[] { 0, 0 }, 1).SingleAsync();

        Assert.Equal(0.0, result.Score);
    }
}
