using System.Diagnostics;
using SkRerank.Reranking;
using SkRerank.Together;

namespace SkRerank.Tests.Together;

public class TogetherFaultTests
{
    private static readonly string[] Documents = ["bats in Gotham", "balloons over a city", "a bookshop in London"];

    [Fact]
    public async Task A_rejected_key_says_so_and_is_not_retried()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.ApiKey = "wrong-key-abcdef");

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.Authentication, error.Kind);
        Assert.StartsWith("Together rejected the API key (HTTP 401)", error.Message);
        Assert.Contains("TOGETHER_API_KEY", error.Message);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("invalid_api_key", error.ErrorCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_unknown_embedding_model_is_named_with_what_to_do()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.EmbeddingModel = "BAAI/bge-base-en-v9");

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.ModelNotFound, error.Kind);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("model_not_found", error.ErrorCode);
        Assert.Contains("'BAAI/bge-base-en-v9'", error.Message);
        Assert.Contains("models page", error.Message);
        Assert.Contains("--embedding-model", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_unknown_rerank_model_points_at_the_rerank_setting()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.RerankModel = "Salesforce/Llama-Rank-V9");

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankAsync("bats", Documents));

        Assert.Equal(TogetherErrorKind.ModelNotFound, error.Kind);
        Assert.Contains("'Salesforce/Llama-Rank-V9'", error.Message);
        Assert.Contains("--rerank-model", error.Message);
    }

    [Fact]
    public async Task A_model_not_available_for_the_endpoint_is_a_model_error()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.EmbeddingModel = "Salesforce/Llama-Rank-V1");

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.ModelNotFound, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("model_not_available", error.ErrorCode);
        Assert.Contains("'Salesforce/Llama-Rank-V1'", error.Message);
        Assert.Contains("it is a rerank model", error.Message);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(422)]
    public async Task A_rejected_request_passes_on_the_services_message(int status)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(FakeFault.Http(status, "Input validation error: inputs must have less than 512 tokens", param: "input", type: "invalid_request_error"));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains("inputs must have less than 512 tokens", error.Message);
        Assert.Contains("param input", error.Message);
        Assert.Equal("input", error.Param);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Rate_limited_then_served_waits_the_retry_after_seconds()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(FakeFault.RateLimited(retryAfter: "1"));

        var watch = Stopwatch.StartNew();
        var results = await clients.Reranker.RerankAsync("bats", Documents, new RerankOptions { TopN = 1 });
        watch.Stop();

        Assert.Equal(0, Assert.Single(results).Index);
        Assert.Equal(2, server.RequestCount);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"waited only {watch.Elapsed.TotalMilliseconds} ms");
        var gap = server.Requests[1].ReceivedAt - server.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"requests only {gap.TotalMilliseconds} ms apart");
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.MaxRetryDelay = TimeSpan.FromSeconds(10));
        server.Enqueue(FakeFault.RateLimited(retryAfter: "5", retryAfterMs: "300"));

        var watch = Stopwatch.StartNew();
        await clients.EmbeddingGenerator.GenerateAsync(["x"]);
        watch.Stop();

        Assert.Equal(2, server.RequestCount);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Persistent_rate_limiting_ends_in_a_clear_error_after_every_retry()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.MaxRetries = 2);
        server.Enqueue(FakeFault.RateLimited(retryAfterMs: "20"), times: 10);

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.RateLimited, error.Kind);
        Assert.StartsWith("Together rate limited the embeddings request (HTTP 429) after 3 attempts", error.Message);
        Assert.Contains("rate limit specific to this model", error.Message);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, server.RequestCount);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task Transient_server_errors_are_retried_until_success(int status)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(FakeFault.Http(status), times: 2);

        var embeddings = await clients.EmbeddingGenerator.GenerateAsync(["x"]);

        Assert.Single(embeddings);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Persistent_server_errors_end_in_a_server_error_naming_the_attempts()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.MaxRetries = 1);
        server.Enqueue(new FakeFault(FakeFaultKind.HtmlBody) { StatusCode = 502 }, times: 5);

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankAsync("bats", Documents));

        Assert.Equal(TogetherErrorKind.ServerError, error.Kind);
        Assert.Contains("HTTP 502", error.Message);
        Assert.Contains("after 2 attempts", error.Message);
        Assert.Contains("Bad Gateway", error.Message);
    }

    [Fact]
    public async Task A_slow_attempt_times_out_and_is_retried()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.Timeout = TimeSpan.FromMilliseconds(300));
        server.Enqueue(FakeFault.Slow(TimeSpan.FromSeconds(5)));

        var results = await clients.Reranker.RerankAsync("bats", Documents);

        Assert.Equal(3, results.Count);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Persistent_slowness_ends_in_a_timeout_error()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => { o.Timeout = TimeSpan.FromMilliseconds(200); o.MaxRetries = 1; });
        server.Enqueue(FakeFault.Slow(TimeSpan.FromSeconds(5)), times: 5);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.Timeout, error.Kind);
        Assert.Contains("within 200 ms", error.Message);
        Assert.Contains("after 2 attempts", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Malformed_json_is_a_clear_error()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(new FakeFault(FakeFaultKind.MalformedJson));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"]));

        Assert.Equal(TogetherErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("is not the JSON the API documents", error.Message);
        Assert.Contains("{\"object\":\"list\"", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(FakeFaultKind.WrongCount, "holds 2 embeddings for 3 texts")]
    [InlineData(FakeFaultKind.WrongDimension, "1023-dimensional vector at index 2 where 1024")]
    [InlineData(FakeFaultKind.IndexOutOfRange, "index 8, outside 0..2")]
    [InlineData(FakeFaultKind.DuplicateIndex, "index 0 twice")]
    public async Task Embedding_answers_that_break_the_contract_are_refused(FakeFaultKind fault, string expected)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(new FakeFault(fault));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["a", "b", "c"]));

        Assert.Equal(TogetherErrorKind.InvalidResponse, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_wrong_dimension_in_a_later_batch_of_an_unknown_model_is_refused()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => { o.EmbeddingModel = "test/tiny-embed"; o.EmbeddingBatchSize = 2; o.MaxConcurrency = 1; });
        await clients.EmbeddingGenerator.GenerateAsync(["warm", "up"]);
        server.Enqueue(new FakeFault(FakeFaultKind.WrongDimension));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["a", "b"]));

        Assert.Contains("15-dimensional vector at index 1 where 16", error.Message);
    }

    [Theory]
    [InlineData(FakeFaultKind.WrongCount, "holds 2 results where 3 were expected")]
    [InlineData(FakeFaultKind.IndexOutOfRange, "index 3, outside 0..2")]
    [InlineData(FakeFaultKind.DuplicateIndex, "twice")]
    public async Task Rerank_answers_that_break_the_contract_are_refused(FakeFaultKind fault, string expected)
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        server.Enqueue(new FakeFault(fault));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankAsync("bats", Documents));

        Assert.Equal(TogetherErrorKind.InvalidResponse, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task One_failing_batch_fails_the_call_without_waiting_for_the_rest()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(50);
        using var clients = TogetherTestSetup.Create(server, o => { o.EmbeddingBatchSize = 1; o.MaxConcurrency = 2; });
        server.Enqueue(FakeFault.Http(400, "bad input", param: "input", type: "invalid_request_error"));

        var error = await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(Enumerable.Range(0, 50).Select(i => $"t{i}")));

        Assert.Equal(TogetherErrorKind.InvalidRequest, error.Kind);
        Assert.True(server.RequestCount < 10, $"{server.RequestCount} requests were sent after the failure");
    }

    [Fact]
    public async Task Cancelling_during_a_slow_response_stops_promptly_without_a_retry()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.Timeout = TimeSpan.FromSeconds(10));
        server.Enqueue(FakeFault.Slow(TimeSpan.FromSeconds(10)), times: 5);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients.Reranker.RerankAsync("bats", Documents, cancellationToken: cancellation.Token));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        await Task.Delay(200);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Cancelling_while_waiting_to_retry_stops_promptly()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server, o => o.MaxRetryDelay = TimeSpan.FromSeconds(30));
        server.Enqueue(FakeFault.RateLimited(retryAfter: "20"), times: 5);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"], cancellationToken: cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        using var clients = TogetherTestSetup.Create(server);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"], cancellationToken: new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => clients.Reranker.RerankAsync("q", Documents, cancellationToken: new CancellationToken(true)));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_api_key_appears_in_no_exception_and_no_log()
    {
        const string key = "sk-secret-do-not-leak-0123456789";
        await using var server = await FakeTogetherServer.StartAsync(apiKey: key);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = logs.CreateFactory();
        var errors = new List<Exception>();

        // A wrong key that a careless proxy echoes back, then failures of every other kind with the right key.
        const string wrongKey = "sk-wrong-also-secret-987654321";
        using (var wrong = TogetherTestSetup.Create(server, o => o.ApiKey = wrongKey, loggerFactory))
        {
            server.Enqueue(new FakeFault(FakeFaultKind.EchoAuthorizationOn401));
            errors.Add(await Assert.ThrowsAsync<TogetherException>(() => wrong.EmbeddingGenerator.GenerateAsync(["x"])));
        }

        using var clients = TogetherTestSetup.Create(server, o => { o.MaxRetries = 1; o.Timeout = TimeSpan.FromMilliseconds(200); }, loggerFactory);
        await clients.EmbeddingGenerator.GenerateAsync(["fine"]);
        server.Enqueue(FakeFault.RateLimited(retryAfterMs: "10"), times: 2);
        errors.Add(await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"])));
        server.Enqueue(FakeFault.Http(500, $"upstream said: Bearer {key}"), times: 2);
        errors.Add(await Assert.ThrowsAsync<TogetherException>(() => clients.Reranker.RerankAsync("q", Documents)));
        server.Enqueue(new FakeFault(FakeFaultKind.MalformedJson));
        errors.Add(await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"])));
        server.Enqueue(FakeFault.Slow(TimeSpan.FromSeconds(3)), times: 2);
        errors.Add(await Assert.ThrowsAsync<TogetherException>(() => clients.EmbeddingGenerator.GenerateAsync(["x"])));
        using var model = TogetherTestSetup.Create(server, o => o.RerankModel = "nope/nope", loggerFactory);
        errors.Add(await Assert.ThrowsAsync<TogetherException>(() => model.Reranker.RerankAsync("q", Documents)));

        Assert.Contains("[redacted]", errors[0].Message);
        Assert.Contains("[redacted]", errors[2].Message);
        foreach (var error in errors)
        {
            Assert.DoesNotContain(key, error.ToString());
            Assert.DoesNotContain(wrongKey, error.ToString());
        }

        var entries = logs.Entries;
        Assert.Contains(entries, e => e.Contains("System.Net.Http.HttpClient.Together", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("Authorization", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains(key, StringComparison.Ordinal) || e.Contains(wrongKey, StringComparison.Ordinal));
    }
}
