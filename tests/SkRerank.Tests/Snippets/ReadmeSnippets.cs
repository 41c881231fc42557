using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;

namespace SkRerank.Tests.Snippets;

/// <summary>
/// The code README.md shows, compiled and run by <see cref="AgentsReadmeSnippetsTests"/>. The text
/// between <c>begin-snippet: NAME</c> and <c>end-snippet</c> must appear verbatim in the docs; edit both together.
/// </summary>
public static class ReadmeSnippets
{
    public static async Task<string> SemanticKernelAsync(Uri endpoint, string apiKey, string moviesJson, string cacheDirectory)
    {
        // begin-snippet: semantic-kernel
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion("meta-llama/Llama-3.3-70B-Instruct-Turbo", endpoint, apiKey);
        // Offline: arctic-embed-xs vectors cached on disk, the local fusion reranker, and the "movies" plugin.
        // (builder.AddTogetherMovieSearch() does the same on Together's embeddings and Llama-Rank.)
        builder.AddLocalMovieSearch(o => o.CacheDirectory = cacheDirectory);
        Kernel kernel = builder.Build();

        // Indexing is explicit and idempotent: a restart re-reads the vectors from the cache.
        var movies = await MovieDataset.LoadAsync(moviesJson);
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);

        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var answer = await kernel.InvokePromptAsync("Find me a bat superhero mystery", new(settings));
        Console.WriteLine(answer);
        // end-snippet
        return answer.ToString();
    }

    public static async Task<string> ExtensionsAIAsync(IChatClient chatClient, string moviesJson, string cacheDirectory)
    {
        // begin-snippet: extensions-ai
        Kernel kernel = Kernel.CreateBuilder().AddLocalMovieSearch(o => o.CacheDirectory = cacheDirectory).Build();
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(await MovieDataset.LoadAsync(moviesJson));

        // The plugin's functions are Microsoft.Extensions.AI AIFunctions (named "movies_search_movies"):
        // hand them to any IChatClient, or to an Agent Framework agent.
        IList<AITool> tools = [.. kernel.Plugins["movies"].AsAIFunctions(kernel)];
        IChatClient client = chatClient.AsBuilder()
            .UseFunctionInvocation(configure: f => f.IncludeDetailedErrors = true) // the model reads why a call failed
            .Build();
        ChatResponse response = await client.GetResponseAsync("Find me a bat superhero mystery", new ChatOptions { Tools = tools });
        Console.WriteLine(response.Text);
        // end-snippet
        return response.Text;
    }

    public static MovieSearchService BringYourOwn(
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        VectorStoreCollection<int, Movie> collection,
        IReranker reranker)
    {
        // begin-snippet: bring-your-own
        var services = new ServiceCollection();
        services.AddMovieSearch(o => o.Candidates = 50)
            .UseEmbeddingGenerator(embeddingGenerator) // the model the collection is indexed with
            .UseCollection(collection)                 // any VectorData connector: Qdrant, Postgres, Azure AI Search, ...
            .UseReranker(reranker);                    // any IReranker, e.g. TogetherReranker or OnnxCrossEncoderReranker
        // end-snippet
        return services.BuildServiceProvider().GetRequiredService<MovieSearchService>();
    }
}
