using SkRerank.Reranking;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

/// <summary>A test that runs only when TOGETHER_API_KEY is set, and is reported as skipped otherwise.</summary>
public sealed class LiveTogetherFactAttribute : FactAttribute
{
    /// <summary>Skips unless the key is present.</summary>
    public LiveTogetherFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TogetherOptions.ApiKeyEnvironmentVariable)))
        {
            Skip = "Set TOGETHER_API_KEY to run the live tests against Together's API.";
        }
    }
}

[Trait("Category", "Live")]
public class TogetherLiveTests
{
    [LiveTogetherFact]
    public async Task Embeds_and_reranks_against_the_real_service()
    {
        using var clients = TogetherClientFactory.Create(TogetherOptions.FromEnvironment());

        var embeddings = await clients.EmbeddingGenerator.GenerateAsync(["super hero action movie with a timeline twist", "The Dark Knight"]);
        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(768, e.Vector.Length));

        string[] documents =
        [
            "The giant panda is a bear species endemic to China.",
            "The llama is a domesticated South American camelid.",
            "The guanaco is a camelid native to South America, closely related to the llama.",
        ];
        var results = await clients.Reranker.RerankAsync("What animals can I find near Peru?", documents, new RerankOptions { TopN = 2 });
        Assert.Equal(2, results.Count);
        Assert.DoesNotContain(results, r => r.Index == 0);
    }
}
