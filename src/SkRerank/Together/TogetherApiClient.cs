using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SkRerank.Together.Wire;

namespace SkRerank.Together;

/// <summary>
/// Sends one JSON request through the "Together" <see cref="HttpClient"/> (whose resilience handler retries) and turns
/// every failure into a <see cref="TogetherException"/> a user can act on.
/// </summary>
internal sealed class TogetherApiClient
{
    private const int SnippetLength = 200;
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TogetherOptions _options;
    private readonly ILogger _logger;

    public TogetherApiClient(IHttpClientFactory httpClientFactory, TogetherOptions options, ILogger logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _logger = logger;
    }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        TogetherOperation operation,
        string model,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var url = new Uri($"{operation.BaseUrl(_options)}/{operation.Path}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        // Bytes, not a stream, so the resilience handler can send the same content again on a retry.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
        request.Content.Headers.ContentType = JsonMediaType;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        var attempts = new StrongBox<int>();
        request.Options.Set(TogetherAttemptCounter.Key, attempts);

        HttpResponseMessage response;
        try
        {
            response = await _httpClientFactory.CreateClient(TogetherOptions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            // The whole budget (--timeout) ran out, or every attempt hit its own limit.
            var message = _options.TotalTimeout is { } budget && ex.Timeout == budget
                ? $"Together did not answer the {operation.Name} request (POST {url}) within the {Describe(budget)} budget (--timeout, TogetherOptions.TotalTimeout), after {Attempts(attempts)}. Try again later, or raise --timeout."
                : $"Together did not answer the {operation.Name} request (POST {url}) within {Describe(_options.AttemptTimeout)} per attempt, after {Attempts(attempts)}. Try again later, or raise --timeout (TogetherOptions.Timeout).";
            throw Fail(new TogetherException(TogetherErrorKind.Timeout, message, ex) { Model = model, Attempts = attempts.Value }, operation);
        }
        catch (BrokenCircuitException ex)
        {
            throw Fail(new TogetherException(
                TogetherErrorKind.Unavailable,
                $"Together {operation.Name} requests are paused after repeated failures (POST {url}); try again in a little while.",
                ex) { Model = model, Attempts = attempts.Value }, operation);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(new TogetherException(
                TogetherErrorKind.Unavailable,
                $"Could not reach Together at POST {url} after {Attempts(attempts)}: {Scrub(ex.Message)} Check the network and {TogetherOptions.BaseUrlEnvironmentVariable}.",
                ex) { Model = model, Attempts = attempts.Value }, operation);
        }

        using (response)
        {
            byte[] content;
            // The resilience handler's attempt timeout ends when the headers arrive; the body gets its own.
            using (var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                bodyTimeout.CancelAfter(_options.AttemptTimeout);
                try
                {
                    content = await response.Content.ReadAsByteArrayAsync(bodyTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Fail(new TogetherException(
                        TogetherErrorKind.Timeout,
                        $"Together did not finish sending the {operation.Name} response (POST {url}) within {Describe(_options.AttemptTimeout)}; raise --timeout (TogetherOptions.Timeout).",
                        ex) { Model = model, Attempts = attempts.Value, StatusCode = (int)response.StatusCode }, operation);
                }
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Fail(CreateHttpError(operation, url, model, response.StatusCode, content, attempts.Value), operation);
            }

            TResponse? result;
            try
            {
                result = JsonSerializer.Deserialize(content, responseType);
            }
            catch (JsonException ex)
            {
                throw Fail(InvalidResponse(operation, model, $"is not the JSON the API documents ({ex.Message})", content, attempts.Value, ex), operation);
            }

            return result ?? throw Fail(InvalidResponse(operation, model, "is empty (JSON null)", content, attempts.Value), operation);
        }
    }

    /// <summary>A response that parsed but breaks the API's promises (counts, indexes, dimensions).</summary>
    public TogetherException InvalidResponse(TogetherOperation operation, string model, string problem, ReadOnlySpan<byte> content = default, int attempts = 1, Exception? inner = null)
    {
        var snippet = content.IsEmpty ? "" : $" The response began: {Snippet(content)}";
        return new TogetherException(
            TogetherErrorKind.InvalidResponse,
            $"Together's {operation.Name} response for model '{model}' {problem}; refusing to guess.{snippet}",
            inner) { Model = model, Attempts = attempts, StatusCode = 200 };
    }

    private TogetherException CreateHttpError(TogetherOperation operation, Uri url, string model, HttpStatusCode status, byte[] content, int attempts)
    {
        var code = (int)status;
        var error = TogetherErrorBody.TryParse(content);
        var serviceMessage = Sentence(error?.Message is { Length: > 0 } m ? Scrub(m) : content.Length > 0 ? Snippet(content) : status.ToString());
        var errorCode = error?.Code;
        var kind = code switch
        {
            401 or 403 => TogetherErrorKind.Authentication,
            429 => TogetherErrorKind.RateLimited,
            408 or >= 500 => TogetherErrorKind.ServerError,
            _ when errorCode is "model_not_found" or "model_not_available" or "dedicated_endpoint_not_running" => TogetherErrorKind.ModelNotFound,
            400 when serviceMessage.Contains("non-serverless", StringComparison.OrdinalIgnoreCase) => TogetherErrorKind.ModelNotFound,
            404 when serviceMessage.Contains(model, StringComparison.OrdinalIgnoreCase) => TogetherErrorKind.ModelNotFound,
            _ => TogetherErrorKind.InvalidRequest,
        };
        var what = errorCode is null ? $"HTTP {code}" : $"HTTP {code}, {errorCode}";
        var message = kind switch
        {
            TogetherErrorKind.Authentication when code == 401 =>
                $"Together rejected the API key (HTTP 401) for the {operation.Name} request (POST {url}): {serviceMessage} Check {TogetherOptions.ApiKeyEnvironmentVariable} (or TogetherOptions.ApiKey).",
            TogetherErrorKind.Authentication =>
                $"Together refused the {operation.Name} request (HTTP 403) for model '{model}': {serviceMessage} The API key may not have access to this model.",
            TogetherErrorKind.ModelNotFound => ModelNotAvailable(operation, model, what, errorCode, serviceMessage),
            TogetherErrorKind.RateLimited =>
                $"Together rate limited the {operation.Name} request (HTTP 429) after {Attempts(attempts)}: {serviceMessage} Wait and try again, lower TogetherOptions.MaxConcurrency, or raise your account's rate limit.",
            TogetherErrorKind.ServerError =>
                $"Together failed the {operation.Name} request (HTTP {code}) after {Attempts(attempts)}: {serviceMessage} Try again later.",
            _ when code == 404 =>
                $"Together answered HTTP 404 to POST {url}: {serviceMessage} Check the base URL ({TogetherOptions.BaseUrlEnvironmentVariable}) and the model '{model}' ({operation.ModelSetting}).",
            _ => $"Together rejected the {operation.Name} request for model '{model}' ({what}{(error?.Param is { Length: > 0 } p ? $", param {p}" : "")}): {serviceMessage}",
        };
        return new TogetherException(kind, message)
        {
            StatusCode = code,
            ErrorCode = errorCode,
            ErrorType = error?.Type,
            Param = error?.Param,
            Model = model,
            Attempts = attempts,
        };
    }

    /// <summary>
    /// One line for "this model is not served to this key": rerank has no serverless models on Together, so the fix is a
    /// dedicated endpoint named with --rerank-model; embeddings have a serverless default to fall back to.
    /// </summary>
    private static string ModelNotAvailable(TogetherOperation operation, string model, string what, string? errorCode, string serviceMessage)
    {
        if (errorCode == "dedicated_endpoint_not_running")
        {
            return $"The dedicated endpoint for the {operation.Name} model '{model}' is not running ({what}): start it at https://api.together.ai/endpoints, or pass another with {operation.ModelSetting}.";
        }

        return operation == TogetherOperation.Rerank
            ? $"Together cannot rerank with '{model}' on this key ({what}): Together has no serverless rerank models, so rerank needs a dedicated endpoint; start one (https://api.together.ai/endpoints, e.g. {TogetherModels.LlamaRankV1} or {TogetherModels.MxbaiRerankLargeV2}) and pass its model name with --rerank-model (TogetherOptions.RerankModel; --rerank-base-url if its URL differs), or use --reranker local."
            : serviceMessage.Contains("non-serverless", StringComparison.OrdinalIgnoreCase) || errorCode == "model_not_available"
                ? $"Together cannot embed with '{model}' on this key ({what}: {serviceMessage}) Drop --embedding-model to use the serverless {TogetherModels.MultilingualE5LargeInstruct}, or start a dedicated endpoint for '{model}' and pass its model name with --embedding-model (TogetherOptions.EmbeddingModel)."
                : $"Together does not know the embedding model '{model}' ({what}): check the id on Together's models page (https://docs.together.ai/docs/serverless-models) and pass it with --embedding-model (TogetherOptions.EmbeddingModel); {TogetherModels.MultilingualE5LargeInstruct} is the serverless one.";
    }

    private TogetherException Fail(TogetherException exception, TogetherOperation operation)
    {
        TogetherLog.Failed(_logger, operation.Name, exception.Kind, exception.StatusCode, exception.Attempts);
        return exception;
    }

    /// <summary>Removes the API key from text that came from elsewhere (a proxy may echo the Authorization header).</summary>
    private string Scrub(string text) =>
        _options.ApiKey is { Length: >= 4 } key ? text.Replace(key, "[redacted]", StringComparison.Ordinal) : text;

    private string Snippet(ReadOnlySpan<byte> content)
    {
        var text = Encoding.UTF8.GetString(content.Length > SnippetLength * 4 ? content[..(SnippetLength * 4)] : content);
        text = Scrub(text).ReplaceLineEndings(" ");
        return text.Length > SnippetLength ? text[..SnippetLength] + "…" : text;
    }

    private static string Sentence(string text)
    {
        text = text.Trim();
        return text.Length == 0 || text[^1] is '.' or '!' or '?' or '…' ? text : text + ".";
    }

    private static string Attempts(StrongBox<int> attempts) => Attempts(attempts.Value);

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.#} s" : $"{timeout.TotalMilliseconds:0} ms";

    /// <summary>Measures elapsed time for debug logs.</summary>
    public static long ElapsedMs(long startTimestamp) => (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
