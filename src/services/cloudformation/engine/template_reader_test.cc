#include "services/cloudformation/engine/template_reader.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "services/cloudformation/engine/engine_test_support.h"

namespace services::cloudformation::engine {
namespace {

namespace json = boost::json;

json::object yaml(std::string_view body) { return ok(read_template(body)); }

std::string error_of(std::string_view body) { return engine::error_of(read_template(body)); }

TEST(TemplateReaderTest, ReadsJsonAsIs) {
  json::object t = yaml(R"({"Resources": {"A": {"Type": "AWS::ECS::Cluster"}}, "N": 1.5})");
  EXPECT_EQ(t.at("Resources").at("A").at("Type"), "AWS::ECS::Cluster");
  EXPECT_EQ(t.at("N").as_double(), 1.5);
}

TEST(TemplateReaderTest, MalformedJsonNamesLineAndColumn) {
  EXPECT_EQ(error_of("{\n  \"Resources\": {\n    \"A\": ,\n}"),
            "ValidationError: Template format error: JSON not well-formed. (line 3, column 10)");
}

TEST(TemplateReaderTest, MalformedYamlNamesLineAndColumn) {
  EXPECT_EQ(error_of("Resources:\n  A:\n    Type: [a, b\n  B: c\n"),
            "ValidationError: Template format error: YAML not well-formed. (line 4, column 4)");
}

TEST(TemplateReaderTest, ANonObjectIsAnUnsupportedStructure) {
  EXPECT_EQ(error_of("template.yaml"),
            "ValidationError: Template format error: unsupported structure.");
  EXPECT_EQ(error_of("[1]"), "ValidationError: Template format error: unsupported structure.");
}

TEST(TemplateReaderTest, ShortFormsBecomeLongForms) {
  json::object t = yaml(R"(
A: !Ref Vpc
B: !GetAtt Lb.DNSName
C: !GetAtt [Lb, DNSName]
D: !Sub "${AWS::StackName}-x"
E: !Sub ["${A}", {A: !Ref X}]
F: !Join [",", [a, !Ref B]]
G: !Select [0, !GetAZs ""]
H: !Split [",", "a,b"]
I: !If [Cond, !Ref A, !Ref "AWS::NoValue"]
J: !Equals [!Ref Env, prod]
K: !And [!Condition A, !Not [!Condition B]]
L: !Or [!Condition A, !Condition B]
M: !FindInMap [Map, !Ref "AWS::Region", Ami]
N: !Base64 hello
O: !Cidr [10.0.0.0/16, 4, 8]
P: !ImportValue vpc-id
Q: !GetAtt Stack.Outputs.Url
Resources: {}
)");
  auto expect = [&](const char* key, const char* want) {
    EXPECT_EQ(json::serialize(t.at(key)), want) << key;
  };
  expect("A", R"({"Ref":"Vpc"})");
  expect("B", R"({"Fn::GetAtt":["Lb","DNSName"]})");
  expect("C", R"({"Fn::GetAtt":["Lb","DNSName"]})");
  expect("D", R"({"Fn::Sub":"${AWS::StackName}-x"})");
  expect("E", R"({"Fn::Sub":["${A}",{"A":{"Ref":"X"}}]})");
  expect("F", R"({"Fn::Join":[",",["a",{"Ref":"B"}]]})");
  expect("G", R"({"Fn::Select":[0,{"Fn::GetAZs":""}]})");
  expect("H", R"({"Fn::Split":[",","a,b"]})");
  expect("I", R"({"Fn::If":["Cond",{"Ref":"A"},{"Ref":"AWS::NoValue"}]})");
  expect("J", R"({"Fn::Equals":[{"Ref":"Env"},"prod"]})");
  expect("K", R"({"Fn::And":[{"Condition":"A"},{"Fn::Not":[{"Condition":"B"}]}]})");
  expect("L", R"({"Fn::Or":[{"Condition":"A"},{"Condition":"B"}]})");
  expect("M", R"({"Fn::FindInMap":["Map",{"Ref":"AWS::Region"},"Ami"]})");
  expect("N", R"({"Fn::Base64":"hello"})");
  expect("O", R"({"Fn::Cidr":["10.0.0.0/16",4,8]})");
  expect("P", R"({"Fn::ImportValue":"vpc-id"})");
  expect("Q", R"({"Fn::GetAtt":["Stack","Outputs.Url"]})");
}

// CloudFormation reads YAML 1.1 booleans as booleans (aws-cli#5257): `Value: yes` reaches a
// String property as "true". Numbers keep their text unless canonical integers.
TEST(TemplateReaderTest, TypesPlainScalarsAsCloudFormationDoes) {
  json::object t = yaml(R"(
yes_: yes
On_: On
NO_: NO
y_: y
n_: n
int_: 80
neg_: -3
octal_: 010
exp_: 1e3
float_: 0.50
hex_: 0x1F
date_: 2010-09-09
null_: ~
empty_:
quoted_: "yes"
quoted_num_: '80'
str_tag_: !!str 027
account_: 012345678901
)");
  EXPECT_EQ(t.at("yes_"), true);
  EXPECT_EQ(t.at("On_"), true);
  EXPECT_EQ(t.at("NO_"), false);
  EXPECT_EQ(t.at("y_"), "y");
  EXPECT_EQ(t.at("n_"), "n");
  EXPECT_EQ(t.at("int_"), 80);
  EXPECT_EQ(t.at("neg_"), -3);
  EXPECT_EQ(t.at("octal_"), "010");
  EXPECT_EQ(t.at("exp_"), "1e3");
  EXPECT_EQ(t.at("float_"), "0.50");
  EXPECT_EQ(t.at("hex_"), "0x1F");
  EXPECT_EQ(t.at("date_"), "2010-09-09");
  EXPECT_TRUE(t.at("null_").is_null());
  EXPECT_TRUE(t.at("empty_").is_null());
  EXPECT_EQ(t.at("quoted_"), "yes");
  EXPECT_EQ(t.at("quoted_num_"), "80");
  EXPECT_EQ(t.at("str_tag_"), "027");
  EXPECT_EQ(t.at("account_"), "012345678901");
}

TEST(TemplateReaderTest, TaggedScalarsAreNeverTyped) {
  json::object t = yaml("A: !Ref 010\nB: !Base64 yes\n");
  EXPECT_EQ(json::serialize(t.at("A")), R"({"Ref":"010"})");
  EXPECT_EQ(json::serialize(t.at("B")), R"({"Fn::Base64":"yes"})");
}

TEST(TemplateReaderTest, BlockScalarsKeepTheirText) {
  json::object t = yaml("UserData: !Sub |\n  #!/bin/sh\n  echo ${AWS::Region}\n");
  EXPECT_EQ(t.at("UserData").at("Fn::Sub"), "#!/bin/sh\necho ${AWS::Region}\n");
}

}  // namespace
}  // namespace services::cloudformation::engine
