using System.Text;
using Tierpsy.Krypton.Generators.Json;

namespace Tierpsy.Krypton.Generators.Build;

/// <summary>
/// Writes the JSON schema of .krypton/parameters.json from a build's parameters (as NUKE writes build.schema.json).
/// </summary>
internal static class ParameterSchemaWriter
{
    /// <summary>
    /// The AssemblyMetadata key under which the schema is compiled into the build; the MSBuild task reads it from
    /// there.
    /// </summary>
    public const string MetadataKey = "Tierpsy.Krypton.ParameterSchema";

    public static string Write(IEnumerable<BuildParameterInfo> parameters)
    {
        var sb = new StringBuilder();
        sb.Append("{\n");
        sb.Append("  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n");
        sb.Append("  \"title\": \"Parameters of this project's build (.krypton/parameters.json)\",\n");
        sb.Append(
            "  \"description\": \"Written by the build from its [Parameter] members; the command line and "
                + "KRYPTON_<NAME> variables override these values.\",\n"
        );
        sb.Append("  \"type\": \"object\",\n");
        sb.Append("  \"additionalProperties\": false,\n");
        sb.Append("  \"properties\": {\n");
        sb.Append("    \"$schema\": { \"type\": \"string\" }");
        foreach (var parameter in parameters.Where(p => !p.Secret).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var schema = parameter.Schema.Substring(1, parameter.Schema.Length - 2);
            sb.Append(",\n    ")
                .Append(JsonText.Quote(parameter.Name))
                .Append(": { \"description\": ")
                .Append(JsonText.Quote(parameter.Description))
                .Append(", ")
                .Append(schema)
                .Append(" }");
        }
        sb.Append("\n  }\n}\n");
        return sb.ToString();
    }
}
