using Microsoft.CodeAnalysis;
using Tierpsy.Krypton.Generators.Json;
using Tierpsy.Krypton.Targets;

namespace Tierpsy.Krypton.Generators.Build;

/// <summary>
/// Reads the <c>[Parameter]</c> members of a build class and its base classes (also those from packages).
/// </summary>
internal static class BuildParameterReader
{
    private const string BuildBase = "Tierpsy.Krypton.Targets.BuildBase";
    private const string ParameterAttribute = "Tierpsy.Krypton.Targets.ParameterAttribute";
    private const string SecretAttribute = "Tierpsy.Krypton.Targets.SecretAttribute";

    /// <summary>True for a class that derives from BuildBase, directly or not.</summary>
    public static bool IsBuild(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.ToDisplayString() == BuildBase)
                return true;
        return false;
    }

    /// <summary>
    /// The parameters of a build class, its base classes, and the settings objects it holds in get-only properties
    /// (as the build's own parameter discovery does).
    /// </summary>
    public static IEnumerable<BuildParameterInfo> Read(INamedTypeSymbol build)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var type = build; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                var members = member is IPropertySymbol group && IsGroup(group) ? group.Type.GetMembers() : [member];
                foreach (var parameter in members.Select(Parameter).OfType<BuildParameterInfo>())
                    if (seen.Add(ParameterNames.Normalize(parameter.Name))) // an override names the same parameter
                        yield return parameter;
            }
        }
    }

    private static AttributeData? ParameterOf(ISymbol member) =>
        member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ParameterAttribute);

    /// <summary>A get-only property without [Parameter] whose class declares [Parameter] members.</summary>
    private static bool IsGroup(IPropertySymbol property) =>
        property is { SetMethod: null, IsStatic: false, Type.TypeKind: TypeKind.Class }
        && property.Type.SpecialType != SpecialType.System_String
        && ParameterOf(property) is null
        && property.Type.GetMembers().Any(m => ParameterOf(m) is not null);

    private static BuildParameterInfo? Parameter(ISymbol member)
    {
        var attribute = ParameterOf(member);
        var memberType = member switch
        {
            IFieldSymbol f => f.Type,
            IPropertySymbol p => p.Type,
            _ => null,
        };
        if (attribute is null || memberType is null)
            return null;
        var name = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Name").Value.Value as string ?? member.Name;
        var description =
            attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? "" : "";
        var secret = member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SecretAttribute);
        return new BuildParameterInfo(name, description, SchemaOf(memberType), secret);
    }

    /// <summary>The JSON schema of a parameter type, matching what the build's parameter converter accepts.</summary>
    private static string SchemaOf(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        if (type is IArrayTypeSymbol array)
            return $"{{\"type\":\"array\",\"items\":{SchemaOf(array.ElementType)}}}";
        if (type.TypeKind == TypeKind.Enum)
        {
            var names = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(EnumName);
            return $"{{\"type\":\"string\",\"enum\":[{string.Join(",", names.Select(JsonText.Quote))}]}}";
        }
        return type.SpecialType switch
        {
            SpecialType.System_Boolean => "{\"type\":\"boolean\"}",
            SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 =>
                "{\"type\":\"integer\"}",
            SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal =>
                "{\"type\":\"number\"}",
            _ when type.Name == "TimeSpan" =>
                "{\"type\":\"string\",\"examples\":[\"30:00:00\",\"1-06:00:00\",\"90m\",\"1h30m\"]}",
            _ => "{\"type\":\"string\"}",
        };
    }

    /// <summary>An enum value as the build accepts it: its [EnumMember] value, else kebab-case.</summary>
    private static string EnumName(IFieldSymbol field) =>
        field
            .GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.Name == "EnumMemberAttribute")
            ?.NamedArguments.FirstOrDefault(a => a.Key == "Value")
            .Value.Value as string
        ?? ParameterNames.Kebab(field.Name);
}
