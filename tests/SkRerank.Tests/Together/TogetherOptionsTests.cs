using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkRerank.DependencyInjection;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

public class TogetherOptionsTests
{
    [Fact]
    public void Defaults_work_on_a_plain_serverless_key_with_the_cookbooks_reranker()
    {
        var options = new TogetherOptions();
        Assert.Equal("https://api.together.xyz/v1", options.BaseUrl);
        Assert.Equal("intfloat/multilingual-e5-large-instruct", options.EmbeddingModel);
        Assert.Equal("Salesforce/Llama-Rank-V1", options.RerankModel);
        Assert.Null(options.RerankBaseUrl);
        Assert.Null(options.TotalTimeout);
        Assert.Equal(TogetherRerankDocuments.Auto, options.RerankDocuments);
        Assert.True(TogetherModels.TryGetEmbeddingDimensions(options.EmbeddingModel, out var dimensions));
        Assert.Equal(1024, dimensions);
        Assert.True(TogetherModels.TryGetEmbeddingDimensions("BAAI/bge-base-en-v1.5", out var bge));
        Assert.Equal(768, bge);
    }

    [Theory]
    [InlineData("Salesforce/Llama-Rank-V1", true)]
    [InlineData("Salesforce/Llama-Rank-v1", true)]
    [InlineData("mixedbread-ai/Mxbai-Rerank-Large-V2", false)]
    [InlineData("test/tiny-rerank", false)]
    public void Only_llama_rank_takes_object_documents(string model, bool objects) =>
        Assert.Equal(objects, TogetherModels.AcceptsObjectDocuments(model));

    [Fact]
    public void A_rerank_base_url_comes_from_the_environment_and_must_be_a_url()
    {
        var variables = new Dictionary<string, string> { ["TOGETHER_API_KEY"] = "k", ["TOGETHER_RERANK_BASE_URL"] = "https://my-endpoint.example/v1/" };
        var options = TogetherOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal("https://my-endpoint.example/v1/", options.RerankBaseUrl);

        options.RerankBaseUrl = "not a url";
        options.TotalTimeout = TimeSpan.Zero;
        var error = Assert.Throws<TogetherConfigurationException>(options.Validate);
        Assert.Contains("--rerank-base-url", error.Message);
        Assert.Contains("--timeout", error.Message);
    }

    [Fact]
    public void FromEnvironment_reads_key_and_base_url()
    {
        var variables = new Dictionary<string, string> { ["TOGETHER_API_KEY"] = " k-123 ", ["TOGETHER_BASE_URL"] = "http://127.0.0.1:9/v1" };
        var options = TogetherOptions.FromEnvironment(name => variables.GetValueOrDefault(name));
        Assert.Equal("k-123", options.ApiKey);
        Assert.Equal("http://127.0.0.1:9/v1", options.BaseUrl);

        var none = TogetherOptions.FromEnvironment(_ => null);
        Assert.Null(none.ApiKey);
        Assert.Equal(TogetherOptions.DefaultBaseUrl, none.BaseUrl);
    }

    [Fact]
    public void A_missing_key_is_a_clear_configuration_error()
    {
        var options = TogetherOptions.FromEnvironment(_ => null);
        var error = Assert.Throws<TogetherConfigurationException>(options.Validate);
        Assert.Contains("TOGETHER_API_KEY", error.Message);
        Assert.Equal(TogetherErrorKind.Configuration, error.Kind);

        var fromFactory = Assert.Throws<TogetherConfigurationException>(() => TogetherClientFactory.Create(options));
        Assert.Contains("TOGETHER_API_KEY", fromFactory.Message);
    }

    [Fact]
    public void A_missing_key_fails_options_validation_in_DI()
    {
        // The fallback is read through a registered TogetherEnvironment, so what the machine's environment holds does not matter.
        using var provider = new ServiceCollection()
            .AddSingleton(TogetherEnvironment.None)
            .AddTogether(o => o.BaseUrl = "http://127.0.0.1:9/v1")
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Contains("TOGETHER_API_KEY", error.Message);
    }

    [Fact]
    public void DI_takes_the_key_and_urls_from_the_registered_environment_when_code_leaves_them_unset()
    {
        var variables = new Dictionary<string, string>
        {
            ["TOGETHER_API_KEY"] = "k-env",
            ["TOGETHER_BASE_URL"] = "http://127.0.0.1:9/v1",
            ["TOGETHER_RERANK_BASE_URL"] = "http://127.0.0.1:8/v1",
        };
        using var provider = new ServiceCollection()
            .AddTogether(o => o.EmbeddingModel = "test/embed")
            // Registered after AddTogether: the application's source still replaces the process environment.
            .AddSingleton(new TogetherEnvironment(name => variables.GetValueOrDefault(name)))
            .BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<TogetherOptions>>().Value;
        Assert.Equal("k-env", options.ApiKey);
        Assert.Equal("http://127.0.0.1:9/v1", options.BaseUrl);
        Assert.Equal("http://127.0.0.1:8/v1", options.RerankBaseUrl);
        Assert.Equal("test/embed", options.EmbeddingModel);
    }

    [Fact]
    public void DI_reads_the_process_environment_unless_the_application_registers_a_source()
    {
        using var provider = new ServiceCollection().AddTogether().BuildServiceProvider();
        Assert.Same(TogetherEnvironment.Process, provider.GetRequiredService<TogetherEnvironment>());
        Assert.Equal(
            Environment.GetEnvironmentVariable(TogetherOptions.ApiKeyEnvironmentVariable),
            TogetherEnvironment.Process.GetVariable(TogetherOptions.ApiKeyEnvironmentVariable));
    }

    [Fact]
    public void Every_invalid_setting_is_listed()
    {
        var options = new TogetherOptions { ApiKey = "k", BaseUrl = "not a url", EmbeddingBatchSize = 0, MaxConcurrency = 0, Timeout = TimeSpan.Zero, MaxRetries = -1 };
        var error = Assert.Throws<TogetherConfigurationException>(options.Validate);
        Assert.Contains("TOGETHER_BASE_URL", error.Message);
        Assert.Contains("EmbeddingBatchSize", error.Message);
        Assert.Contains("MaxConcurrency", error.Message);
        Assert.Contains("Timeout", error.Message);
        Assert.Contains("MaxRetries", error.Message);
    }

    [Fact]
    public void Values_set_in_code_win_over_the_environment()
    {
        var options = new TogetherOptions { ApiKey = "from-code", BaseUrl = "http://127.0.0.1:1/v1" };
        options.ApplyEnvironment(name => name == "TOGETHER_API_KEY" ? "from-env" : "http://example.invalid/v1");
        Assert.Equal("from-code", options.ApiKey);
        Assert.Equal("http://127.0.0.1:1/v1", options.BaseUrl);
    }

    [Theory]
    [InlineData("250", null, 250)]
    [InlineData("1.5", null, 1.5)]
    [InlineData(null, "2", 2000)]
    [InlineData(null, "0.25", 250)]
    [InlineData("100", "7", 100)]
    public void Retry_delay_prefers_retry_after_ms_then_retry_after(string? ms, string? seconds, double expectedMs)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        if (ms is not null) response.Headers.TryAddWithoutValidation("retry-after-ms", ms);
        if (seconds is not null) response.Headers.TryAddWithoutValidation("retry-after", seconds);
        Assert.True(TogetherRetryDelay.TryGet(response, TimeProvider.System, out var delay));
        Assert.Equal(expectedMs, delay.TotalMilliseconds, 3);
    }

    [Fact]
    public void Retry_delay_reads_an_http_date_and_ignores_garbage()
    {
        var now = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var clock = new FixedTimeProvider(now);
        using var dated = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        dated.Headers.TryAddWithoutValidation("retry-after", now.AddSeconds(3).ToString("R"));
        Assert.True(TogetherRetryDelay.TryGet(dated, clock, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(3), delay);

        using var garbage = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        garbage.Headers.TryAddWithoutValidation("retry-after", "soon");
        garbage.Headers.TryAddWithoutValidation("retry-after-ms", "-5");
        Assert.False(TogetherRetryDelay.TryGet(garbage, clock, out _));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
