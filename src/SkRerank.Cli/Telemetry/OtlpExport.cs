using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SkRerank.Telemetry;

namespace SkRerank.Cli.Telemetry;

/// <summary>
/// Exports SkRerank's spans and metrics (and outgoing HTTP calls) over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set,
/// e.g. to the Aspire dashboard. The exporter reads the standard OTEL_* variables (protocol, headers) itself.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceName = "skrerank";

    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    private OtlpExport()
    {
        var resource = ResourceBuilder.CreateDefault().AddService(ServiceName);
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(SkRerankTelemetry.ActivitySourceName)
            .AddHttpClientInstrumentation()
            .AddOtlpExporter()
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(SkRerankTelemetry.MeterName)
            .AddOtlpExporter()
            .Build();
    }

    /// <summary>Starts exporting when <see cref="EndpointVariable"/> is set; <see langword="null"/> otherwise.</summary>
    public static OtlpExport? StartFromEnvironment() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)) ? null : new OtlpExport();

    /// <summary>Flushes what is buffered (a short-lived command would otherwise exit before the batch goes out).</summary>
    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
